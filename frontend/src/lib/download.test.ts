import { describe, expect, it } from 'vitest';
import { filenameFromDisposition, toQueryString } from './download';

describe('toQueryString', () => {
  it('repeats list keys and leaves out empty values', () => {
    expect(toQueryString({ format: 'xlsx', status: ['active', 'suspended'], q: undefined, gender: null, union_id: '', is_cadre: false })).toBe(
      'format=xlsx&status=active&status=suspended&is_cadre=false',
    );
  });

  it('encodes Vietnamese text', () => {
    expect(toQueryString({ q: 'Nguyễn' })).toBe('q=Nguy%E1%BB%85n');
  });
});

describe('filenameFromDisposition', () => {
  it('prefers the UTF-8 filename*', () => {
    expect(filenameFromDisposition(`attachment; filename="doan-vien.xlsx"; filename*=UTF-8''%C4%91o%C3%A0n-vi%C3%AAn.xlsx`, 'x')).toBe('đoàn-viên.xlsx');
  });

  it('reads a plain quoted or bare filename', () => {
    expect(filenameFromDisposition('attachment; filename="mau-nhap-members.csv"', 'x')).toBe('mau-nhap-members.csv');
    expect(filenameFromDisposition('attachment; filename=loi.xlsx', 'x')).toBe('loi.xlsx');
  });

  it('falls back when the header is missing or broken', () => {
    expect(filenameFromDisposition(null, 'fallback.xlsx')).toBe('fallback.xlsx');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.xlsx')).toBe('fallback.xlsx');
  });
});
