import { describe, expect, it } from 'vitest';
import { rateSheet, variantOf, type SchemeDefinition } from './rating';

const def: SchemeDefinition = {
  max_points: 100,
  levels: [
    { code: 'excellent', name: 'Hoàn thành xuất sắc nhiệm vụ' },
    { code: 'good', name: 'Hoàn thành tốt nhiệm vụ' },
    { code: 'complete', name: 'Hoàn thành nhiệm vụ' },
    { code: 'incomplete', name: 'Không hoàn thành nhiệm vụ' },
  ],
  strong_levels: ['excellent', 'good'],
  bands: [
    { level: 'incomplete', min: 0, max: 50 },
    { level: 'complete', min: 50, max: 70 },
    { level: 'good', min: 70, max: 90 },
    { level: 'excellent', min: 90, max: 100 },
  ],
  conditions: [
    { code: 'disciplined', name: 'Kỷ luật', kind: 'flag', cap_level: 'complete' },
    { code: 'below_half', name: 'Nhóm dưới 50%', kind: 'group_min_share', share: '0.5', cap_level: 'complete' },
  ],
  variants: [
    {
      applies_to: 'state',
      name: 'Khu vực nhà nước',
      groups: [
        { code: '1', name: 'A', indicators: [{ code: '1.1', name: 'a', max_points: 60 }] },
        { code: '2', name: 'B', indicators: [{ code: '2.1', name: 'b', max_points: '40' }] },
      ],
    },
  ],
};

describe('rateSheet', () => {
  const variant = variantOf(def, 'state')!;

  it('adds the points and finds the band', () => {
    const r = rateSheet(def, variant, { '1.1': 55.5, '2.1': 36 }, {});
    expect(r.total).toBe(91.5);
    expect(r.level).toBe('excellent');
    expect(r.complete).toBe(true);
  });

  it('a hard condition caps the level whatever the score', () => {
    const r = rateSheet(def, variant, { '1.1': 60, '2.1': 40 }, { disciplined: true });
    expect(r.bandLevel).toBe('excellent');
    expect(r.level).toBe('complete');
    expect(r.caps).toEqual({ disciplined: 'complete' });
  });

  it('a group below half its points caps too; a missing indicator makes the sheet incomplete', () => {
    const r = rateSheet(def, variant, { '1.1': 60, '2.1': 15 }, {});
    expect(r.caps).toEqual({ below_half: 'complete' });
    expect(rateSheet(def, variant, { '1.1': 60 }, {}).complete).toBe(false);
  });
});
