import { describe, expect, it } from 'vitest';
import { actionsFor, CADRE_POSTS, postsForLevel } from './labels';

describe('postsForLevel', () => {
  it('gives a union group its leader and deputy only', () => {
    expect(postsForLevel('union_group').sort()).toEqual(['group_deputy', 'group_leader']);
  });

  it('gives other unions every post but the group ones', () => {
    const posts = postsForLevel('grassroots');
    expect(posts).toContain('chair');
    expect(posts).toContain('inspection_chair');
    expect(posts).not.toContain('group_leader');
    expect(posts).toHaveLength(CADRE_POSTS.length - 2);
  });

  it('offers every post while the level is unknown', () => {
    expect(postsForLevel(undefined)).toEqual(CADRE_POSTS);
  });
});

describe('actionsFor', () => {
  it('lets an active or suspended member be expelled or recorded as deceased', () => {
    for (const status of ['active', 'suspended'] as const) {
      expect(actionsFor(status)).toEqual(expect.arrayContaining(['expel', 'deceased']));
    }
  });

  it('offers nothing after expulsion or death', () => {
    expect(actionsFor('expelled')).toEqual([]);
    expect(actionsFor('deceased')).toEqual([]);
  });
});
