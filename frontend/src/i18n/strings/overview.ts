/** Strings of the overview for an officer of several units, and its figures as links. */
export const vi = {
  'overview.scopeAll': 'Phạm vi: tất cả {n} đơn vị bạn phụ trách · số liệu ngày {date}',
  'overview.heldUnits': 'Đơn vị bạn phụ trách',
  'overview.allUnits': 'Tất cả ({n})',
  'overview.membersByHeld': 'Đoàn viên theo đơn vị bạn phụ trách',
  'overview.female': 'Nữ: {n}',
  'overview.suspended': 'tạm dừng sinh hoạt: {n}',
  'overview.operating': 'Đang hoạt động: {n}',
  'overview.withUnion': 'có CĐCS: {n}',
};
