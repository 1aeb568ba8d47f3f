/** UI strings. Vietnamese is the reference; English must have the same keys (checked by tsc). */
import { vi as enterprisesVi } from './strings/enterprises';
import type { vi as auditVi } from './strings/audit';
import type { vi as evaluationsVi } from './strings/evaluations';
import type { vi as clientsVi } from './strings/clients';
import type { vi as importsVi } from './strings/imports';
import { vi as membersVi } from './strings/members';
import type { vi as programmesVi } from './strings/programmes';
import type { vi as reportsVi } from './strings/reports';
import type { vi as trainingVi } from './strings/training';
import { vi as unionsVi } from './strings/unions';
import { vi as overviewVi } from './strings/overview';
import { vi as selfserviceVi } from './strings/selfservice';
import type { vi as todoVi } from './strings/todo';

export const base = {
  'app.name': 'UnionHub',
  'common.cancel': 'Hủy',
  'common.confirm': 'Xác nhận',
  'common.loading': 'Đang tải…',
  'common.loadingScreen': 'Đang tải màn hình',
  'common.noData': 'Không có dữ liệu',
  'common.open': 'Mở',
  'common.reload': 'Tải lại',
  'common.retry': 'Thử lại',
  'common.save': 'Lưu',
  'common.saved': 'Đã lưu.',
  'common.totalRows': 'Tổng {n} dòng',

  'nav.overview': 'Tổng quan',
  'nav.unions': 'Cơ cấu tổ chức',
  'nav.users': 'Người dùng và vai trò',
  'nav.audit': 'Nhật ký hệ thống',

  'shell.language': 'Ngôn ngữ',
  'shell.navigation': 'Điều hướng chính',
  'shell.openMenu': 'Mở danh mục chức năng',
  'shell.signOut': 'Đăng xuất',
  'shell.skipToContent': 'Bỏ qua, đến nội dung chính',

  'signin.subtitle': 'Hệ thống quản lý tổ chức công đoàn và đoàn viên',
  'signin.username': 'Tên đăng nhập',
  'signin.password': 'Mật khẩu',
  'signin.submit': 'Đăng nhập',

  'state.error': 'Không tải được dữ liệu',
  'state.forbidden': 'Không có quyền truy cập',
  'state.notFound': 'Không tìm thấy trang',
  'state.reloadHint': 'Đã xảy ra lỗi khi hiển thị trang. Hãy tải lại trang.',

  'unsaved.title': 'Rời trang khi chưa lưu?',
  'unsaved.body': 'Các thay đổi bạn vừa nhập chưa được lưu và sẽ bị mất.',
  'unsaved.leave': 'Rời trang',
  'unsaved.stay': 'Ở lại',

  'overview.title': 'Tổng quan',
  'overview.scope': 'Phạm vi: {name} · số liệu ngày {date}',
  'overview.activeUnions': 'Công đoàn đang hoạt động',
  'overview.grassroots': 'Công đoàn cơ sở',
  'overview.activeMembers': 'Đoàn viên đang sinh hoạt',
  'overview.membersExtra': 'Nữ: {female} · tạm dừng sinh hoạt: {suspended}',
  'overview.newThisYear': 'Kết nạp mới trong năm',
  'overview.enterprises': 'Doanh nghiệp',
  'overview.enterprisesExtra': 'Đang hoạt động: {operating} · có CĐCS: {withUnion}',
  'overview.eligibleWithoutUnion': 'Doanh nghiệp đủ điều kiện chưa có CĐCS',
  'overview.workersWithoutUnion': '{n} lao động chưa có tổ chức công đoàn',
  'overview.membersByChild': 'Đoàn viên theo đơn vị trực thuộc',
  'overview.membersByChildOf': 'Đoàn viên theo đơn vị trực thuộc {name}',
  'overview.noChildMembers': 'Các đơn vị trực thuộc chưa có đoàn viên.',
  'overview.byLevelTable': 'Công đoàn theo cấp và khu vực',
  'overview.stateSector': 'Nhà nước',
  'overview.nonStateSector': 'Ngoài nhà nước',
  'overview.total': 'Tổng',
  'overview.noUnions': 'Chưa có công đoàn nào trong phạm vi của bạn.',
  'overview.admissions': 'Kết nạp mới',
  'overview.admissionsByMonth': 'Kết nạp đoàn viên mới theo tháng (12 tháng gần nhất)',
  'overview.membersPendingShort': 'Chưa có số liệu',

  'level.province_federation': 'LĐLĐ tỉnh, thành phố',
  'level.direct_superior': 'Công đoàn cấp trên trực tiếp cơ sở',
  'level.grassroots': 'Công đoàn cơ sở',
  'level.occupational': 'Nghiệp đoàn cơ sở',
  'level.member_union': 'CĐCS thành viên',
  'level.departmental': 'Công đoàn bộ phận',
  'level.union_group': 'Tổ công đoàn',

  'kind.province_federation': 'Liên đoàn Lao động tỉnh',
  'kind.district_federation': 'LĐLĐ huyện, thị xã, thành phố',
  'kind.sector_union': 'Công đoàn ngành',
  'kind.public_servants_union': 'Công đoàn Viên chức',
  'kind.industrial_zone_union': 'Công đoàn các Khu công nghiệp',
  'kind.commune_union': 'Công đoàn xã, phường',
  'kind.enterprise_union': 'CĐCS doanh nghiệp',
  'kind.agency_union': 'CĐCS cơ quan',
  'kind.school_union': 'CĐCS trường học',
  'kind.public_service_unit_union': 'CĐCS đơn vị sự nghiệp',
  'kind.cooperative_union': 'CĐCS hợp tác xã',
  'kind.occupational_union': 'Nghiệp đoàn',
  'kind.internal_unit': 'Đơn vị nội bộ',
  'kind.other': 'Khác',

  'sector.state': 'nhà nước',
  'sector.non_state': 'ngoài nhà nước',

  'status.active': 'Đang hoạt động',
  'status.dissolved': 'Đã giải thể',
  'status.merged': 'Đã sáp nhập',

  'role.admin': 'Quản trị hệ thống',
  'role.federation_officer': 'Cán bộ LĐLĐ tỉnh',
  'role.union_officer': 'Cán bộ công đoàn cấp trên',
  'role.grassroots_officer': 'Cán bộ công đoàn cơ sở',
  'role.viewer': 'Chỉ xem',

  'event.founded': 'Thành lập',
  'event.renamed': 'Đổi tên',
  'event.updated': 'Cập nhật thông tin',
  'event.moved': 'Chuyển đơn vị cấp trên',
  'event.merged': 'Sáp nhập vào đơn vị khác',
  'event.absorbed': 'Tiếp nhận đơn vị sáp nhập',
  'event.dissolved': 'Giải thể',

  'eventDetail.name': 'Tên',
  'eventDetail.parent_id': 'Công đoàn cấp trên',
  'eventDetail.from_parent_id': 'Cấp trên cũ',
  'eventDetail.to_parent_id': 'Cấp trên mới',
  'eventDetail.target_id': 'Đơn vị nhận sáp nhập',
  'eventDetail.source_id': 'Đơn vị sáp nhập vào',
  'eventDetail.children_moved': 'Đơn vị trực thuộc chuyển theo',
  'eventDetail.descendants_moved': 'Đơn vị cấp dưới chuyển theo',
  'eventDetail.members_moved': 'Đoàn viên chuyển theo',
  'eventDetail.note': 'Ghi chú',

  'union.code': 'Mã đơn vị',
  'union.codeHint': '2–32 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.',
  'union.name': 'Tên đơn vị',
  'union.shortName': 'Tên viết tắt',
  'union.level': 'Cấp',
  'union.kind': 'Loại hình',
  'union.sector': 'Khu vực',
  'union.status': 'Trạng thái',
  'union.parent': 'Công đoàn cấp trên',
  'union.childCount': 'Đơn vị trực thuộc',
  'union.foundedOn': 'Ngày thành lập',
  'union.foundingDecision': 'Quyết định thành lập',
  'union.endedOn': 'Ngày kết thúc hoạt động',
  'union.mergedInto': 'Sáp nhập vào',
  'union.memberCount': 'Số đoàn viên',
  'union.address': 'Địa chỉ',
  'union.communeCode': 'Xã, phường',
  'union.communeCodeHint': 'Mã đơn vị hành chính gồm 5 chữ số.',
  'union.phone': 'Điện thoại',
  'union.email': 'Thư điện tử',
  'union.updatedAt': 'Cập nhật lần cuối',
  'union.decisionNo': 'Số quyết định',
  'union.decisionNoHint': 'Ví dụ: 125/QĐ-LĐLĐ',
  'union.decisionDate': 'Ngày ký quyết định',
  'union.effectiveDate': 'Ngày hiệu lực',
  'union.note': 'Ghi chú',

  'unions.treeTitle': 'Cơ cấu tổ chức',
  'unions.asOfLabel': 'Xem cơ cấu tại ngày',
  'unions.asOfNotice': 'Đang xem cơ cấu tổ chức tại ngày {date}.',
  'unions.today': 'Hôm nay',
  'unions.findUnion': 'Tìm đơn vị (gõ không dấu cũng được)',
  'unions.selectPlaceholder': 'Gõ tên hoặc mã đơn vị',
  'unions.childCount': '{n} trực thuộc',
  'unions.none': 'Chưa có đơn vị nào trong phạm vi của bạn.',
  'unions.noneOnDate': 'Không có đơn vị nào tại ngày {date}.',
  'unions.tabInfo': 'Thông tin',
  'unions.tabChildren': 'Đơn vị trực thuộc',
  'unions.tabHistory': 'Lịch sử',
  'unions.tabCadres': 'Cán bộ',
  'unions.viewMembers': 'Xem đoàn viên',
  'unions.searchChildren': 'Tìm trong đơn vị trực thuộc',
  'unions.noChildren': 'Không có đơn vị trực thuộc.',
  'unions.noHistory': 'Chưa có sự kiện nào.',
  'unions.edit': 'Sửa thông tin',
  'unions.move': 'Chuyển cấp trên',
  'unions.merge': 'Sáp nhập',
  'unions.dissolve': 'Giải thể',
  'unions.found': 'Thành lập công đoàn',
  'unions.foundChild': 'Thành lập đơn vị trực thuộc',
  'unions.foundTitle': 'Thành lập công đoàn',
  'unions.foundSubmit': 'Thành lập',
  'unions.foundDone': 'Đã thành lập {name}.',
  'unions.parentHint': 'Để trống chỉ khi thành lập LĐLĐ tỉnh (quyền quản trị).',
  'unions.noLevelUnderParent': 'Không có cấp nào được phép dưới đơn vị này.',
  'unions.editTitle': 'Sửa thông tin công đoàn',
  'unions.moveTitle': 'Chuyển công đoàn sang cấp trên khác',
  'unions.mergeTitle': 'Sáp nhập công đoàn',
  'unions.dissolveTitle': 'Giải thể công đoàn',
  'unions.renameNotice': 'Đổi tên là một sự kiện có quyết định: nhập số quyết định và ngày hiệu lực.',
  'unions.nothingChanged': 'Không có thay đổi nào.',
  'unions.saved': 'Đã lưu thay đổi.',
  'unions.moveIntro': 'Đơn vị đang trực thuộc {parent}. Khi chuyển, {n} đơn vị trực thuộc của nó chuyển theo.',
  'unions.newParent': 'Công đoàn cấp trên mới',
  'unions.moveConfirmTitle': 'Xác nhận chuyển đơn vị',
  'unions.moveConfirm': '{name} cùng {n} đơn vị trực thuộc sẽ chuyển về {target} kể từ ngày {date}.',
  'unions.moved': 'Đã chuyển đơn vị.',
  'unions.mergeIntro': 'Sau khi sáp nhập, đơn vị này ngừng hoạt động; {n} đơn vị trực thuộc và đoàn viên của nó chuyển sang đơn vị nhận.',
  'unions.mergeTarget': 'Sáp nhập vào đơn vị',
  'unions.mergeConfirmTitle': 'Xác nhận sáp nhập',
  'unions.mergeConfirm': '{name} sẽ sáp nhập vào {target} kể từ ngày {date}; {n} đơn vị trực thuộc chuyển sang {target}. Không thể hoàn tác.',
  'unions.merged': 'Đã sáp nhập.',
  'unions.dissolveHasChildren': 'Đơn vị còn {n} đơn vị trực thuộc: hãy chuyển hoặc sáp nhập chúng trước khi giải thể.',
  'unions.dissolveConfirmTitle': 'Xác nhận giải thể',
  'unions.dissolveConfirm': '{name} sẽ chấm dứt hoạt động kể từ ngày {date}. Không thể hoàn tác.',
  'unions.dissolved': 'Đã giải thể.',
  'unions.inactiveNoChange': 'Đơn vị đã giải thể hoặc sáp nhập nên không thể thay đổi.',

  'users.title': 'Người dùng và vai trò',
  'users.create': 'Tạo tài khoản',
  'users.created': 'Đã tạo tài khoản {name}.',
  'users.search': 'Tìm theo tên đăng nhập hoặc họ tên',
  'users.username': 'Tên đăng nhập',
  'users.usernameHint': '3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.',
  'users.fullName': 'Họ và tên',
  'users.password': 'Mật khẩu',
  'users.newPassword': 'Mật khẩu mới',
  'users.passwordHint': 'Ít nhất 10 ký tự, có cả chữ và số.',
  'users.passwordResetHint': 'Đặt mật khẩu mới sẽ kết thúc mọi phiên đăng nhập của người dùng.',
  'users.setPassword': 'Đặt mật khẩu',
  'users.passwordSet': 'Đã đặt mật khẩu mới.',
  'users.role': 'Vai trò',
  'users.roles': 'Vai trò',
  'users.roleUnion': 'Tại đơn vị',
  'users.addRole': 'Thêm vai trò',
  'users.roleAdded': 'Đã thêm vai trò.',
  'users.removeRole': 'Gỡ vai trò',
  'users.removeRoleTitle': 'Gỡ vai trò?',
  'users.removeRoleConfirm': '{name} sẽ không còn vai trò {role}.',
  'users.roleRemoved': 'Đã gỡ vai trò.',
  'users.active': 'Trạng thái',
  'users.activeYes': 'Đang dùng',
  'users.activeNo': 'Đã khóa',
  'users.allStates': 'Mọi trạng thái',
  'users.activeOnly': 'Đang dùng',
  'users.inactiveOnly': 'Đã khóa',
  'users.deactivateHint': 'Khóa tài khoản sẽ đăng xuất người dùng ngay.',
  'users.editUser': 'Tài khoản {name}',
  'users.none': 'Không có tài khoản nào phù hợp.',
  'users.updatedAt': 'Cập nhật',

} as const;

// Each feature's strings live beside the others' in strings/; each file checks its own parity.
// The strings of the sign-in and activation pages and of the shell's registers come with the first
// page; those of the screens only a signed-in user opens (programmes, reports, training,
// evaluations, audit, integration clients, imports, the to-do list) are loaded after sign-in (`loadScreenStrings`, messages.screens.ts), so the
// sign-in page stays within its download budget.
const vi = { ...base, ...membersVi, ...enterprisesVi, ...unionsVi, ...overviewVi, ...selfserviceVi };

type ScreenStrings = typeof programmesVi &
  typeof auditVi &
  typeof evaluationsVi &
  typeof trainingVi &
  typeof reportsVi &
  typeof clientsVi &
  typeof importsVi &
  typeof todoVi;

export type MessageKey = keyof (typeof vi & ScreenStrings);

/**
 * The catalogs by language. Vietnamese is always there; English is loaded on demand
 * (`loadLanguage('en')`), and until it has arrived every string falls back to Vietnamese.
 */
export const MESSAGES: { vi: Record<MessageKey, string>; en: Record<MessageKey, string> | null } = {
  // Complete once `loadScreenStrings()` has added the screens' strings (i18n/load.ts).
  vi: { ...vi } as Record<MessageKey, string>,
  en: null,
};
