import { describe, expect, it } from 'vitest';
import { definitionPath, formatFigure } from './labels';

describe('definitionPath', () => {
  it('names the place in the JSON whichever way the API wrote the field', () => {
    // Pydantic's shape errors: dotted indexes and the section kind after the index.
    expect(definitionPath('definition.sections.0.table.rows.1.indicator')).toBe('sections[0].rows[1].indicator');
    expect(definitionPath('definition.sections.2.list.indicator')).toBe('sections[2].indicator');
    // The catalogue's checks: bracketed indexes.
    expect(definitionPath('definition.sections[0].columns[3].group')).toBe('sections[0].columns[3].group');
    expect(definitionPath('definition.title')).toBe('title');
    expect(definitionPath('definition')).toBe('definition');
  });
});

describe('formatFigure', () => {
  it('writes counts and shares the Vietnamese way', () => {
    expect(formatFigure('1234', 'count')).toBe('1.234');
    expect(formatFigure(null, 'count')).toBe('—');
  });
});
