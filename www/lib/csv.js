// csv.js — a spreadsheet's CSV file read back for showing, the way the server numbered it when
// it named a bad row: decoded in the encoding the server says it read (UTF-8, UTF-16, GB18030),
// cut at the delimiter it found, rows numbered as a spreadsheet numbers them (the header is
// row 1; a blank row counts; a quoted cell's line breaks stay in its row; blank lines before
// the header do not count). Only for display: the file itself goes to the server untouched.

const DECODERS = { "UTF-8": "utf-8", "UTF-16LE": "utf-16le", "UTF-16BE": "utf-16be",
  GB18030: "gb18030" };

// The file's text in charset (a name the server answers; unknown names read as UTF-8). A byte
// that is not in the encoding becomes U+FFFD; a byte order mark is dropped.
export function decode(bytes, charset) {
  return new TextDecoder(DECODERS[charset] || "utf-8").decode(bytes);
}

// [{row, cells}] for every row of text (blank rows with no cells), in order.
export function rows(text, delimiter = ",") {
  const out = [];
  let i = 0;
  let row = 1;
  const n = text.length;
  const lineEnd = (k) => (text[k] === "\r" && text[k + 1] === "\n" ? k + 2 : k + 1);
  while (i < n) {
    if (text[i] === "\r" || text[i] === "\n") {
      if (out.length) {
        out.push({ row, cells: [] });
        row += 1;
      }
      i = lineEnd(i);
      continue;
    }
    const cells = [];
    for (;;) {
      let cell = "";
      if (text[i] === "\"") {
        i += 1;
        while (i < n) {
          if (text[i] === "\"") {
            if (text[i + 1] === "\"") {
              cell += "\"";
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          cell += text[i];
          i += 1;
        }
      }
      while (i < n && text[i] !== delimiter && text[i] !== "\r" && text[i] !== "\n") {
        cell += text[i];
        i += 1;
      }
      cells.push(cell);
      if (i < n && text[i] === delimiter) {
        i += 1;
        continue;
      }
      break;
    }
    out.push({ row, cells });
    row += 1;
    if (i < n) i = lineEnd(i);
  }
  return out;
}
