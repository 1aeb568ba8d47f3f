/** Strings of finding a union, a union's page on a past date, and where an ended union went. */
export const vi = {
  'unionList.title': 'Danh sách đơn vị',
  'unionList.under': 'Trực thuộc {name} (mọi cấp)',
  'unionList.allScope': 'Toàn bộ phạm vi của bạn',

  'unionSearch.hint': 'Gõ tên, mã hoặc tên viết tắt: "LĐLĐ Mỹ Tho", "cdcs cty tnhh", "lien doan my tho"',
  'unionSearch.none': 'Không tìm thấy đơn vị nào',

  'unionAsOf.title': 'Đang xem đơn vị theo cơ cấu tổ chức ngày {date}',
  'unionAsOf.state': 'Ngày đó: {name} — {status}, {n} đơn vị trực thuộc.',
  'unionAsOf.notThen': 'Ngày đó đơn vị chưa có trong cơ cấu tổ chức của bạn.',
  'unionAsOf.backToTree': 'Về cây tổ chức ngày {date}',
  'unionAsOf.today': 'Xem theo hiện tại',

  'whereabouts.merged': 'Đơn vị đã được hợp nhất từ ngày {date} vào',
  'whereabouts.dissolved': 'Đơn vị đã giải thể từ ngày {date}.',
  'whereabouts.units': 'Các đơn vị trực thuộc đã chuyển đến',
  'whereabouts.noUnits': 'Không có đơn vị trực thuộc nào được chuyển đi.',
  'whereabouts.nowUnder': 'chuyển từ ngày {date}, nay trực thuộc',
  'whereabouts.leftOn': 'chuyển đi từ ngày {date}',
  'whereabouts.members': 'Đoàn viên đã chuyển đến',
  'whereabouts.noMembers': 'Không có đoàn viên nào được chuyển đi.',
  'whereabouts.memberCount': '{n} đoàn viên',
  'whereabouts.to': 'chuyển từ ngày {date} sang',
  'whereabouts.outside': '{n} đoàn viên chuyển sang đơn vị ngoài phạm vi của bạn',
};
