/**
 * Parses JSON and additionally rejects what `JSON.parse` silently accepts (SPEC 5.9, 6):
 * duplicate keys in one object (the last one would win, so two parsers can disagree about the
 * same document) and `__proto__` keys (prototype pollution once the object is merged elsewhere).
 */
export class StrictJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StrictJsonError(`the body is not valid JSON (${(error as Error).message})`);
  }
  assertNoDuplicateKeys(text);
  return value;
}

interface Frame {
  object: boolean;
  keys: Set<string>;
  expectingKey: boolean;
}

/**
 * Walks the (already syntax-checked) text once, tracking the keys of each open object. Only
 * strings in key position are decoded.
 */
function assertNoDuplicateKeys(text: string): void {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{') stack.push({ object: true, keys: new Set(), expectingKey: true });
    else if (char === '[') stack.push({ object: false, keys: new Set(), expectingKey: false });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',') {
      const top = stack.at(-1);
      if (top?.object) top.expectingKey = true;
    } else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.object && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) throw new StrictJsonError(`duplicate key "${key}" in a JSON object`);
        if (key === '__proto__') throw new StrictJsonError('the key "__proto__" is not allowed');
        top.keys.add(key);
        top.expectingKey = false;
      }
      i = end;
    }
  }
}
