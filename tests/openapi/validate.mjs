// Validates an OpenAPI document with @apidevtools/swagger-parser (schema and references), and
// looks for what a schema cannot see: a YAML flow mapping such as
// `{description: The case, with Location}` silently makes "with Location" a key. No key of the
// reference has a space in it, so any such key is reported.
// Usage: node validate.mjs FILE — prints "valid: FILE" and exits 0, or prints every problem
// and exits 1.
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];

function spacedKeys(node, path, out) {
    if (node === null || typeof node !== "object")
        return out;
    for (const [k, v] of Object.entries(node)) {
        if (!Array.isArray(node) && /\s/.test(k))
            out.push(`${path}/${k}`);
        spacedKeys(v, `${path}/${k}`, out);
    }
    return out;
}

try {
    const parsed = await SwaggerParser.parse(file);
    const bad = spacedKeys(parsed, "#", []);
    if (bad.length > 0) {
        console.error(`invalid: ${file}: keys with spaces (an unquoted comma in a flow mapping?)`);
        for (const b of bad)
            console.error(`  ${b}`);
        process.exit(1);
    }
    const api = await SwaggerParser.validate(file);
    console.log(`valid: ${file} (OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths)`);
} catch (err) {
    console.error(`invalid: ${file}`);
    for (const d of err.details ?? [])
        console.error(`  ${d.instancePath ?? d.path ?? ""}: ${d.message}`);
    console.error(err.message);
    process.exit(1);
}
