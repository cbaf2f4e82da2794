import { OutputFormatter } from './output.formatter.js';

describe('OutputFormatter', () => {
  const formatter = new OutputFormatter();

  it('aligns table columns to the widest cell with two-space gaps and no trailing spaces', () => {
    const text = formatter.table(
      ['ID', 'NAME', 'STATUS'],
      [
        ['1', 'bootstrap', 'active'],
        ['22222', 'ci', 'revoked'],
      ],
    );
    expect(text).toBe(['ID     NAME       STATUS', '1      bootstrap  active', '22222  ci         revoked', ''].join('\n'));
  });

  it('renders null, undefined and empty cells as "-" and does not pad the last column', () => {
    const text = formatter.table(['A', 'LAST'], [[null, undefined], ['', 'x']]);
    expect(text).toBe('A  LAST\n-  -\n-  x\n');
  });

  it('prints only the header for an empty table', () => {
    expect(formatter.table(['ID', 'NAME'], [])).toBe('ID  NAME\n');
  });

  it('replaces control characters so server data cannot inject terminal escapes or break rows', () => {
    const text = formatter.table(['NAME'], [['evil\u001b[31m\nname']]);
    expect(text).toBe('NAME\nevil?[31m?name\n');
  });

  it('aligns key/value lists', () => {
    expect(
      formatter.keyValue([
        ['realm', 'contoso.com'],
        ['service-name', 'abc'],
        ['public-host', null],
      ]),
    ).toBe('realm         contoso.com\nservice-name  abc\npublic-host   -\n');
  });

  it('prints JSON with two-space indentation and a final newline', () => {
    expect(formatter.json({ a: 1, b: [true] })).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}\n');
  });
});
