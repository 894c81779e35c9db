// diff.js — what differs between two short texts, character by character: Unicode code points
// (never UTF-16 halves), compared after NFKC and lower-casing so that "Ningbo" and "NINGBO"
// read as the same letters, by Myers' O((N+M)·D) algorithm ("An O(ND) difference algorithm
// and its variations", 1986) after the common start and end are set aside. No I/O, no DOM.
//
// diff(a, b) returns runs in order, each {op, a, b}: op "same" (a and b: the run as each text
// writes it), "del" (a: only in a) or "ins" (b: only in b); joining the a of "same" and "del"
// runs gives a back, joining the b of "same" and "ins" runs gives b. Texts too different to
// compare within the work limit come back as one "del" and one "ins".

// Above this many steps of the edit graph the texts are reported as wholly different (the
// saved diagonals grow as D², a few MB at most): a person compares a mark with a mark, not
// two pages.
const WORK_MAX = 1_000_000;

function fold(ch) {
  return ch.normalize("NFKC").toLowerCase();
}

function push(out, op, a, b) {
  const last = out[out.length - 1];
  if (last && last.op === op) {
    last.a += a;
    last.b += b;
  } else if (a || b) {
    out.push({ op, a, b });
  }
}

// The edit script between code point arrays A and B (keys KA, KB) as [op, i, j] steps from
// the end backwards, or null past the work limit.
function myers(KA, KB) {
  const n = KA.length;
  const m = KB.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  let work = 0;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d, off + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])
        ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      const x0 = x;
      while (x < n && y < m && KA[x] === KB[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      work += 1 + x - x0;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
    if (work > WORK_MAX) return null;
  }
  return null;
}

// Walks the saved diagonals back from (n, m): [["same"|"del"|"ins", i, j], ...] forwards.
function backtrack(trace, n, m, dEnd) {
  const steps = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];   // the diagonals -d..d as they stood before step d
    const at = (k) => v[k + d];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push(["same", --x, --y]);
    }
    if (prevK === k + 1) steps.push(["ins", x, --y]);
    else steps.push(["del", --x, y]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) steps.push(["same", --x, --y]);
  return steps.reverse();
}

export function diff(a, b) {
  const A = Array.from(String(a ?? ""));
  const B = Array.from(String(b ?? ""));
  const KA = A.map(fold);
  const KB = B.map(fold);
  let start = 0;
  while (start < A.length && start < B.length && KA[start] === KB[start]) start++;
  let endA = A.length;
  let endB = B.length;
  while (endA > start && endB > start && KA[endA - 1] === KB[endB - 1]) {
    endA--;
    endB--;
  }
  const out = [];
  push(out, "same", A.slice(0, start).join(""), B.slice(0, start).join(""));
  const steps = myers(KA.slice(start, endA), KB.slice(start, endB));
  if (steps === null) {
    push(out, "del", A.slice(start, endA).join(""), "");
    push(out, "ins", "", B.slice(start, endB).join(""));
  } else {
    for (const [op, i, j] of steps) {
      if (op === "same") push(out, "same", A[start + i], B[start + j]);
      else if (op === "del") push(out, "del", A[start + i], "");
      else push(out, "ins", "", B[start + j]);
    }
  }
  push(out, "same", A.slice(endA).join(""), B.slice(endB).join(""));
  return out;
}

// How many code points differ: those only in a plus those only in b.
export function distance(runs) {
  let n = 0;
  for (const r of runs) {
    if (r.op !== "same") n += Array.from(r.a).length + Array.from(r.b).length;
  }
  return n;
}
