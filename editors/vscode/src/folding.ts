// Folding ranges for RouterOS scripts. No VS Code API here, so
// test/folding.test.mjs runs it under plain Node.
//
// * a menu section: a header line starting with `/` (like `/ip address`) down
//   to the last line before the next header, leaving out the blank and
//   comment lines just above that header (they introduce the next section);
// * a `{ ... }` block over several lines, down to the line before its `}`;
// * a run of two or more comment lines.
//
// Braces, quotes and `#` inside strings or escaped with `\` do not count, and
// neither does a `/` at the start of a line that continues the previous one.
// language-configuration.json's folding markers can only pair a start line
// with an end line, which a menu section does not have, hence this provider.

export interface Fold {
  /** zero-based first line */
  start: number;
  /** zero-based last line that is hidden with it */
  end: number;
  kind?: "comment";
}

interface LineInfo {
  /** starts inside a string that an earlier line opened */
  inString: boolean;
  /** continues the previous line (that one ended with `\`) */
  continued: boolean;
  /** brace depth at the start of the line */
  depth: number;
  /** a comment line: `#` is its first character outside a string */
  comment: boolean;
  blank: boolean;
}

export function foldingRanges(lines: readonly string[]): Fold[] {
  const folds: Fold[] = [];
  const info: LineInfo[] = [];
  const open: number[] = [];
  let inString = false;
  let continued = false;

  lines.forEach((line, lineNo) => {
    const startsInString = inString;
    const lineInfo: LineInfo = {
      inString: startsInString,
      continued,
      depth: open.length,
      comment: false,
      blank: line.trim() === "",
    };
    let commandPosition = !startsInString && !continued;
    let endsWithContinuation = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (inString) {
        if (ch === "\\") {
          if (line.slice(i + 1).trim() === "") endsWithContinuation = true;
          i++;
        } else if (ch === '"') {
          inString = false;
        }
        continue;
      }
      if (ch === " " || ch === "\t") continue;
      if (ch === "#" && commandPosition) {
        if (line.slice(0, i).trim() === "" && !startsInString) lineInfo.comment = true;
        break;
      }
      commandPosition = false;
      if (ch === "\\") {
        if (line.slice(i + 1).trim() === "") endsWithContinuation = true;
        i++;
      } else if (ch === '"') {
        inString = true;
      } else if (ch === "{") {
        open.push(lineNo);
        commandPosition = true;
      } else if (ch === "}") {
        const from = open.pop();
        if (from !== undefined && lineNo - 1 > from) folds.push({ start: from, end: lineNo - 1 });
      } else if (ch === ";" || ch === "[") {
        commandPosition = true;
      }
    }
    continued = endsWithContinuation;
    info.push(lineInfo);
  });

  // menu sections
  const isHeader = (n: number) =>
    !info[n].inString && !info[n].continued && info[n].depth === 0 && lines[n].startsWith("/");
  const headers = lines.map((_, n) => n).filter(isHeader);
  headers.forEach((start, k) => {
    let end = k + 1 < headers.length ? headers[k + 1] - 1 : lines.length - 1;
    while (end > start && (info[end].blank || info[end].comment)) end--;
    if (end > start) folds.push({ start, end });
  });

  // comment blocks
  for (let n = 0; n < lines.length; n++) {
    if (!info[n].comment) continue;
    let end = n;
    while (end + 1 < lines.length && info[end + 1].comment) end++;
    if (end > n) folds.push({ start: n, end, kind: "comment" });
    n = end;
  }

  return folds.sort((a, b) => a.start - b.start || b.end - a.end);
}
