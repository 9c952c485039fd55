/** Response texts compared byte for byte (the differential suites). */

/**
 * The response text without the member "extensions" of the top-level object (wherever it is),
 * every other byte untouched.
 */
export function withoutTopLevelExtensions(text: string): string {
  let depth = 0;
  let inString = false;
  let lastSignificant = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (depth === 1 && (lastSignificant === '{' || lastSignificant === ',') && text.startsWith('"extensions"', i)) {
        let j = i + '"extensions"'.length;
        while (/\s/.test(text[j])) j++;
        if (text[j] === ':') {
          // Skip the value: to the ',' or '}' that closes it at depth 1.
          j++;
          let d = 0;
          let s = false;
          for (; j < text.length; j++) {
            const x = text[j];
            if (s) {
              if (x === '\\') j++;
              else if (x === '"') s = false;
            } else if (x === '"') s = true;
            else if (x === '{' || x === '[') d++;
            else if (x === '}' || x === ']') {
              if (d === 0) break;
              d--;
            } else if (x === ',' && d === 0) break;
          }
          // Member with its comma: the leading one if any, else the trailing one.
          let start = i;
          let end = j;
          if (lastSignificant === ',') start = text.lastIndexOf(',', i - 1);
          else if (text[j] === ',') end = j + 1;
          return text.slice(0, start) + text.slice(end);
        }
      }
      inString = true;
      lastSignificant = '"';
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    if (!/\s/.test(c)) lastSignificant = c;
  }
  return text;
}
