import { describe, expect, it } from 'vitest';
import { readParams, writeParams } from './urlState';

const SPEC = { q: 'string', status: 'list', age_min: 'int', subtree: 'bool', page: 'int' } as const;

describe('filters in the URL', () => {
  it('reads each kind', () => {
    const values = readParams(new URLSearchParams('q=nguyen&status=active,suspended&age_min=30&subtree=0&page=2'), SPEC);
    expect(values).toEqual({ q: 'nguyen', status: ['active', 'suspended'], age_min: 30, subtree: false, page: 2 });
  });

  it('accepts repeated keys for lists and drops duplicates and blanks', () => {
    expect(readParams(new URLSearchParams('status=active&status=left,,active'), SPEC).status).toEqual(['active', 'left']);
  });

  it('drops what a hand-edited URL gets wrong', () => {
    const values = readParams(new URLSearchParams('q=%20%20&age_min=abc&subtree=maybe&page=1.5&other=x'), SPEC);
    expect(values).toEqual({});
  });

  it('writes a short, shareable query and leaves out empty values', () => {
    const params = writeParams({ q: ' tran ', status: ['active', 'left'], age_min: undefined, subtree: true, page: 3 }, SPEC);
    expect(params.toString()).toBe('q=tran&status=active%2Cleft&subtree=1&page=3');
    expect(writeParams({ status: [], q: '' }, SPEC).toString()).toBe('');
  });

  it('round-trips', () => {
    const values = { q: 'Nguyễn Văn', status: ['struck_off'], age_min: 0, subtree: false, page: 1 };
    expect(readParams(writeParams(values, SPEC), SPEC)).toEqual(values);
  });
});
