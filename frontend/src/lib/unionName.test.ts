import { describe, expect, it } from 'vitest';
import { chartLabel, shortUnionName } from './unionName';

describe('shortUnionName', () => {
  it('abbreviates the words every grassroots name starts with', () => {
    expect(shortUnionName('Công đoàn cơ sở Công ty TNHH May Việt Tiến')).toBe('CĐCS Cty TNHH May Việt Tiến');
    expect(shortUnionName('Công đoàn cơ sở Công ty Cổ phần Thủy sản Mỹ Tho')).toBe('CĐCS Cty CP Thủy sản Mỹ Tho');
    expect(shortUnionName('Liên đoàn Lao động thành phố Mỹ Tho')).toBe('LĐLĐ TP Mỹ Tho');
    expect(shortUnionName('Liên đoàn Lao động thị xã Cai Lậy')).toBe('LĐLĐ TX Cai Lậy');
    expect(shortUnionName('Công đoàn cơ sở Trường Trung học phổ thông Cái Bè')).toBe('CĐCS Trường THPT Cái Bè');
  });

  it('leaves words alone inside other words and names without the long forms', () => {
    expect(shortUnionName('Công đoàn Viên chức tỉnh')).toBe('Công đoàn Viên chức tỉnh');
    expect(shortUnionName('Tổ công đoàn Phân xưởng 1')).toBe('Tổ công đoàn Phân xưởng 1');
  });

  it('cuts a chart label that is still long, keeping its start', () => {
    const label = chartLabel('Công đoàn cơ sở Công ty TNHH Một thành viên Xây dựng và Thương mại Đồng Tháp', 30);
    expect(label.startsWith('CĐCS Cty TNHH MTV Xây dựng')).toBe(true);
    expect(label.endsWith('…')).toBe(true);
    expect(label.length).toBeLessThanOrEqual(30);
  });
});
