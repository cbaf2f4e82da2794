import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InvalidInputError } from '@s2s/core';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDate, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Nullable, NULLABLE_NOTE } from './nullable.decorator.js';
import { StrictValidationPipe } from './strict-validation.pipe.js';
import { MULTI_LINE_NOTE, MultiLineText, printableField, textProblem } from './text.rules.js';

class RoleDto {
  @ApiProperty() @IsString() value!: string;
  @MultiLineText() @ApiPropertyOptional() @IsOptional() @IsString() description?: string;
}

class SampleDto {
  @ApiProperty() @IsString() name!: string;
  @MultiLineText() @ApiPropertyOptional({ description: 'PEM.' }) @IsOptional() @IsString() certificate?: string;
  @Nullable() @ApiPropertyOptional({ type: String, description: 'Host.' }) @IsOptional() @IsString() host?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) names?: string[];
  @ApiPropertyOptional({ type: [RoleDto] }) @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => RoleDto) roles?: RoleDto[];
}

const pipe = new StrictValidationPipe();
const body = (value: unknown): Promise<unknown> => pipe.transform(value, { type: 'body', metatype: SampleDto, data: undefined });

async function problems(run: Promise<unknown>): Promise<{ field: string; message: string }[]> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).details ?? [];
}

const CONTROL = 'must not contain control characters (U+0000-U+001F, U+007F)';
const MULTI_LINE_CONTROL = 'must not contain control characters other than tab, line feed and carriage return';
const SURROGATE = 'must be well-formed Unicode text (it contains an unpaired UTF-16 surrogate)';
const NULL = 'must not be null (leave the field out to keep its value)';

describe('text rules', () => {
  it.each([
    ['plain text', 'microsoft.exchange', false, null],
    ['non-ASCII letters and a paired surrogate (emoji)', 'Zürich 😀', false, null],
    ['U+0000', 'a\u0000b', false, CONTROL],
    ['U+001F', 'a\u001fb', false, CONTROL],
    ['DEL', 'a\u007fb', false, CONTROL],
    ['a newline in single-line text', 'a\nb', false, CONTROL],
    ['a tab in single-line text', 'a\tb', false, CONTROL],
    ['tab, CR and LF in multi-line text', '-----BEGIN\r\n\tx\n', true, null],
    ['U+0000 in multi-line text', 'a\n\u0000', true, MULTI_LINE_CONTROL],
    ['ESC in multi-line text', 'a\u001b[31m', true, MULTI_LINE_CONTROL],
    ['a lone high surrogate', 'a\ud800b', false, SURROGATE],
    ['a lone low surrogate', '\udc00', true, SURROGATE],
    ['surrogates in the wrong order', '\ude00\ud83d', false, SURROGATE],
  ])('%s', (_name, value, multiLine, expected) => {
    expect(textProblem(value, { multiLine })).toBe(expected);
  });

  it('prints control characters and surrogates of field names escaped', () => {
    expect(printableField('a\u0000b\u007f\ud800')).toBe('a\\u0000b\\u007f\\ud800');
    expect(printableField('roles[0].value')).toBe('roles[0].value');
  });

  it('documents multi-line and nullable fields in the OpenAPI metadata', () => {
    const swagger = (property: string): { description?: string; nullable?: boolean } => Reflect.getMetadata('swagger/apiModelProperties', SampleDto.prototype, property);
    expect(swagger('certificate').description).toBe(`PEM. ${MULTI_LINE_NOTE}`);
    expect(swagger('host')).toMatchObject({ nullable: true, description: `Host. ${NULLABLE_NOTE}` });
    expect(swagger('name').description).toBeUndefined();
  });

  it('refuses a decorator placed after @ApiProperty, which would leave the document wrong', () => {
    expect(() => {
      class Misordered {
        @ApiProperty() @MultiLineText() text!: string;
      }
      return Misordered;
    }).toThrow('@MultiLineText() on Misordered.text must come before (left of) its @ApiProperty');
  });
});

describe('StrictValidationPipe text and null rules', () => {
  it('passes a valid body through as the DTO', async () => {
    const value = await body({ name: 'ok', certificate: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', host: null, roles: [{ value: 'r', description: 'two\nlines' }] });
    expect(value).toBeInstanceOf(SampleDto);
    expect(value).toMatchObject({ host: null });
  });

  it.each([
    ['U+0000 in a name', { name: 'a\u0000b' }, [{ field: 'name', message: CONTROL }]],
    ['a newline in a name', { name: 'a\nb' }, [{ field: 'name', message: CONTROL }]],
    ['a lone surrogate', { name: '\ud800' }, [{ field: 'name', message: SURROGATE }]],
    ['U+0000 in a multi-line field', { name: 'a', certificate: 'x\n\u0000' }, [{ field: 'certificate', message: MULTI_LINE_CONTROL }]],
    ['a control character in an array item', { name: 'a', names: ['ok', 'b\u0007'] }, [{ field: 'names[1]', message: CONTROL }]],
    ['a control character in a nested DTO', { name: 'a', roles: [{ value: 'r\u0000' }] }, [{ field: 'roles[0].value', message: CONTROL }]],
    ['null for a non-nullable field', { name: 'a', enabled: null }, [{ field: 'enabled', message: NULL }]],
    ['null for a required field', { name: null }, [{ field: 'name', message: 'must be a string' }, { field: 'name', message: NULL }]],
    ['null in an array', { name: 'a', names: [null] }, [{ field: 'names', message: 'each value in names must be a string' }, { field: 'names[0]', message: NULL }]],
    ['null in a nested DTO', { name: 'a', roles: [{ value: 'r', description: null }] }, [{ field: 'roles[0].description', message: NULL }]],
    [
      'a key with U+0000',
      { name: 'a', 'x\u0000': 1 },
      [
        { field: 'x\\u0000', message: 'is not a known field' },
        { field: 'x\\u0000', message: 'is not a valid field name (control characters or unpaired surrogates)' },
      ],
    ],
    ['a key with a lone surrogate', { name: 'a', '\udfff': 1 }, [{ field: '\\udfff', message: 'is not a known field' }, { field: '\\udfff', message: 'is not a valid field name (control characters or unpaired surrogates)' }]],
    ['an unknown key that is a regular expression', { name: 'a', '(': 1 }, [{ field: '(', message: 'is not a known field' }]],
  ])('refuses %s with 422 naming the field', async (_name, value, expected) => {
    const details = await problems(body(value));
    expect(details).toEqual(expected);
  });

  it('accepts null for a field marked @Nullable', async () => {
    await expect(body({ name: 'a', host: null })).resolves.toMatchObject({ name: 'a', host: null });
  });

  it('stops at a nesting depth no DTO has', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const details = await problems(body({ name: 'a', roles: [deep] }));
    expect(details).toContainEqual({ field: expect.stringMatching(/^roles\[0\](\.a)+$/), message: 'is nested too deeply' });
  });

  it('refuses a value far deeper than the stack (class-transformer would overflow: a 500) with 422', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const details = await problems(body({ name: deep }));
    expect(details).toEqual([{ field: `name${'[0]'.repeat(16)}`, message: 'is nested too deeply' }]);
  });

  it.each([
    ['a path parameter with U+0000', 'param', 'identity', 'a\u0000b', [{ field: 'identity', message: CONTROL }]],
    ['a path parameter with DEL', 'param', 'identity', 'a\u007f', [{ field: 'identity', message: CONTROL }]],
    ['a query parameter with a newline', 'query', 'role', 'a\r\nb', [{ field: 'role', message: CONTROL }]],
    ['a repeated query parameter with a control character', 'query', 'role', ['ok', '\u0001'], [{ field: 'role[1]', message: CONTROL }]],
  ] as const)('refuses %s', async (_name, type, data, value, expected) => {
    const details = await problems(pipe.transform(value, { type, metatype: type === 'param' ? String : Object, data }));
    expect(details).toEqual(expected);
  });

  it('leaves good named parameters alone', async () => {
    await expect(pipe.transform('microsoft.exchange', { type: 'param', metatype: String, data: 'identity' })).resolves.toBe('microsoft.exchange');
  });

  it.each([
    ['-271821-04-20T00:00:00.000Z', false],
    ['+275760-09-13T00:00:00.000Z', false],
    ['0000-12-31T23:59:59.999Z', false],
    ['+010000-01-01T00:00:00.000Z', false],
    ['0001-01-01T00:00:00.000Z', true],
    ['9999-12-31T23:59:59.999Z', true],
  ])('holds the date %s of a query DTO to what PostgreSQL stores (accepted: %s)', async (since, accepted) => {
    class QueryDto {
      @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() since?: Date;
    }
    const run = pipe.transform({ since }, { type: 'query', metatype: QueryDto, data: undefined });
    if (accepted) await expect(run).resolves.toEqual({ since: new Date(since) });
    else expect(await problems(run)).toEqual([{ field: 'since', message: 'must be a date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' }]);
  });

  it('applies the rules to query DTOs, keys included', async () => {
    class QueryDto {
      @ApiPropertyOptional() @IsOptional() @IsString() action?: string;
    }
    const details = await problems(pipe.transform({ action: 'a\u0000' }, { type: 'query', metatype: QueryDto, data: undefined }));
    expect(details).toEqual([{ field: 'action', message: CONTROL }]);
  });
});
