/**
 * The API's error codes in Vietnamese and English. Typed Record<AnyErrorCode, ...>: a code the
 * backend adds without a text here fails tsc. Texts take the error's params (the offending value,
 * limits, dates) through `Params`, so nothing is scraped from the server's English message.
 */
import type { AnyErrorCode, ErrorText, Params } from '../errorParams';

const statusVi = (p: Params) => (p.has('status') ? ` (đang ở trạng thái «${p.label('memberStatus', 'status')}»)` : '');

export const vi: Record<AnyErrorCode, ErrorText> = {
  // generic answers
  bad_request: 'Yêu cầu không hợp lệ.',
  conflict: 'Thay đổi xung đột với dữ liệu hiện có.',
  forbidden: 'Bạn không có quyền thực hiện thao tác này.',
  http_error: 'Máy chủ trả lời lỗi. Vui lòng thử lại.',
  internal_error: 'Máy chủ gặp lỗi. Vui lòng thử lại sau.',
  invalid_value: 'Giá trị không hợp lệ.',
  method_not_allowed: 'Thao tác này không được hỗ trợ.',
  not_found: 'Không tìm thấy dữ liệu.',
  payload_too_large: 'Dữ liệu gửi lên quá lớn.',
  precondition_failed: 'Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang rồi thực hiện lại.',
  too_many_requests: 'Quá nhiều yêu cầu. Vui lòng thử lại sau.',
  unauthorized: 'Vui lòng đăng nhập.',
  unsupported_media_type: 'Định dạng dữ liệu gửi lên không được hỗ trợ.',
  validation_error: 'Một số trường chưa hợp lệ.',
  network_error: 'Không kết nối được tới máy chủ. Kiểm tra mạng rồi thử lại.',
  // input shape
  control_character: (p) => `Nội dung${p.q()} chứa ký tự điều khiển không hợp lệ.`,
  invalid: (p) => `Giá trị${p.q()} không hợp lệ.`,
  invalid_character: (p) => `Nội dung${p.q()} chứa ký tự không hợp lệ.`,
  invalid_choice: (p) => `Giá trị${p.q()} không nằm trong danh sách cho phép${p.opt('expected', ': {}')}.`,
  invalid_date: (p) =>
    p.text('reason') === 'no_such_day'
      ? `Ngày${p.q()} không có thật.`
      : `Ngày${p.q()} không hợp lệ; hãy ghi theo dạng dd/mm/yyyy, ví dụ 25/12/1990.`,
  invalid_etag: 'Phiên bản dữ liệu gửi kèm không hợp lệ.',
  cursor_invalid: 'Vị trí trang không còn dùng được cho danh sách này; hãy quay lại trang đầu.',
  invalid_format: (p) =>
    p.text('expected') === 'digits' ? `Giá trị${p.q()} chỉ được gồm chữ số.` : `Giá trị${p.q()} sai định dạng.`,
  invalid_uuid: (p) => `Mã định danh${p.q()} không hợp lệ.`,
  malformed_body: 'Không đọc được dữ liệu gửi lên.',
  malformed_json: 'Dữ liệu gửi lên không đúng định dạng.',
  not_boolean: 'Phải là đúng hoặc sai.',
  not_integer: (p) => `Giá trị${p.q()} phải là số nguyên.`,
  not_list: 'Phải là một danh sách.',
  not_number: (p) => `Giá trị${p.q()} phải là số.`,
  not_object: 'Phải là một đối tượng.',
  not_string: 'Phải là chuỗi ký tự.',
  nul_character: 'Nội dung chứa ký tự không hợp lệ.',
  required: (p) =>
    p.text('reason') === 'vietnamese_citizen'
      ? 'Số định danh cá nhân là bắt buộc với công dân Việt Nam.'
      : p.text('reason') === 'foreign_member'
        ? 'Số hộ chiếu là bắt buộc với đoàn viên người nước ngoài.'
        : 'Vui lòng nhập trường này.',
  too_large: (p) =>
    `Giá trị${p.q()} quá lớn${p.opt('max', ' (tối đa {})', 'num')}${p.opt('below', ' (phải nhỏ hơn {})', 'num')}.`,
  too_long: (p) => `Nội dung quá dài${p.opt('max_length', ' (tối đa {} ký tự)', 'num')}.`,
  too_short: (p) => `Nội dung quá ngắn${p.opt('min_length', ' (tối thiểu {} ký tự)', 'num')}.`,
  too_small: (p) =>
    `Giá trị${p.q()} quá nhỏ${p.opt('min', ' (tối thiểu {})', 'num')}${p.opt('above', ' (phải lớn hơn {})', 'num')}.`,
  unknown_field: 'Trường này không được hỗ trợ.',
  // sign-in and access
  invalid_credentials: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  not_authenticated: 'Vui lòng đăng nhập.',
  permission_denied: 'Bạn không có quyền thực hiện thao tác này.',
  session_ended: 'Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.',
  token_invalid: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  token_missing: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  token_reused: 'Phiên đăng nhập đã bị kết thúc để đảm bảo an toàn. Vui lòng đăng nhập lại.',
  activation_failed: 'Không kích hoạt được tài khoản với thông tin này. Hãy kiểm tra lại, hoặc đề nghị công đoàn cơ sở cấp mã kích hoạt.',
  member_account_exists: 'Đoàn viên này đã có tài khoản; hãy đăng nhập, hoặc đề nghị công đoàn cơ sở hỗ trợ.',
  member_account_only: 'Chức năng này dành cho đoàn viên đăng nhập bằng tài khoản của mình.',
  member_account_missing: 'Đoàn viên này chưa kích hoạt tài khoản.',
  member_account_closed: 'Tài khoản của đoàn viên này đã bị khóa; công đoàn cơ sở có thể mở lại.',
  member_account_not_closed: 'Tài khoản của đoàn viên này không bị khóa.',
  change_request_not_found: 'Không tìm thấy đề nghị sửa thông tin này.',
  change_request_not_pending: 'Đề nghị này đã được xử lý.',
  change_request_pending: 'Bạn đang có một đề nghị sửa thông tin nhân thân chờ công đoàn duyệt.',
  too_many_attempts: (p) =>
    `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${p.has('retry_after') ? `${p.num('retry_after')} giây` : 'ít phút'}.`,
  version_mismatch: 'Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang rồi thực hiện lại.',
  // users
  assignment_not_found: 'Không tìm thấy vai trò này.',
  cannot_deactivate_self: 'Bạn không thể tự khóa tài khoản của mình.',
  duplicate_role: 'Cùng một vai trò tại cùng một đơn vị được khai hai lần.',
  last_role: 'Đây là vai trò duy nhất của người dùng; hãy khóa tài khoản thay vì gỡ vai trò.',
  own_last_manage_role: 'Bạn không thể tự gỡ vai trò quản trị cuối cùng của mình.',
  role_above_own: 'Bạn không thể cấp vai trò cao hơn vai trò của mình tại đơn vị này.',
  role_exists: 'Người dùng đã có vai trò này tại đơn vị này.',
  user_not_found: 'Không tìm thấy tài khoản.',
  username_taken: (p) => `Tên đăng nhập${p.q()} đã được sử dụng.`,
  weak_password: 'Mật khẩu phải có cả chữ và số.',
  // unions
  before_parent_founded: (p) =>
    `Ngày này sớm hơn ngày thành lập của công đoàn cấp trên${p.opt('founded', ' ({})', 'date')}.`,
  before_target_founded: (p) =>
    `Ngày này sớm hơn ngày thành lập của đơn vị nhận sáp nhập${p.opt('founded', ' ({})', 'date')}.`,
  children_level_mismatch: (p) =>
    `Đơn vị trực thuộc${p.opt('codes', ' ({})')} không thể chuyển sang đơn vị nhận sáp nhập vì khác cấp.`,
  code_taken: (p) => `Mã${p.q() || ' này'} đã được sử dụng.`,
  cycle: 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc của nó.',
  date_before_last_change: (p) =>
    `Ngày hiệu lực không được trước ${p.has('earliest') ? `ngày ${p.date('earliest')}, ` : ''}ngày thay đổi gần nhất đã ghi nhận.`,
  date_before_member_change: (p) =>
    `Một đoàn viên của đơn vị có thay đổi ghi nhận${p.opt('earliest', ' ngày {}', 'date')}; việc sáp nhập không thể có hiệu lực trước ngày đó.`,
  date_in_future: (p) => `Ngày ${p.date('value') || 'này'} không được sau ngày hôm nay.`,
  level_mismatch: 'Chỉ sáp nhập được vào đơn vị cùng cấp.',
  parent_inactive: 'Công đoàn cấp trên đã giải thể hoặc sáp nhập.',
  parent_level_not_allowed: (p) =>
    p.has('level') && p.has('parent_level')
      ? `${p.label('level', 'level')} không thể trực thuộc ${p.label('level', 'parent_level')}.`
      : 'Cấp của công đoàn cấp trên không phù hợp với cấp của đơn vị này.',
  same_parent: 'Đơn vị đã trực thuộc công đoàn cấp trên này.',
  target_inactive: 'Đơn vị nhận sáp nhập đã giải thể hoặc sáp nhập.',
  union_inactive: 'Đơn vị đã giải thể hoặc sáp nhập.',
  union_not_empty: (p) =>
    p.has('active_children') || p.has('active_members')
      ? `Đơn vị còn ${p.num('active_children') || '0'} đơn vị trực thuộc và ${p.num('active_members') || '0'} đoàn viên đang sinh hoạt; hãy chuyển đi trước khi giải thể.`
      : 'Đơn vị còn đơn vị trực thuộc hoặc đoàn viên đang sinh hoạt; hãy chuyển đi trước khi giải thể.',
  union_not_found: (p) => `Không tìm thấy đơn vị${p.q()} (hoặc đơn vị ngoài phạm vi của bạn).`,
  // members
  before_admission: (p) => `Ngày này sớm hơn ngày vào công đoàn của đoàn viên${p.opt('admitted', ' ({})', 'date')}.`,
  before_from_date: (p) => `Ngày kết thúc không được trước ngày bắt đầu${p.opt('from_date', ' ({})', 'date')}.`,
  cadre_post_not_found: 'Không tìm thấy chức vụ.',
  card_number_invalid_format: (p) => `Số thẻ đoàn viên${p.q()} phải gồm 4 đến 20 chữ cái, chữ số hoặc dấu gạch ngang.`,
  card_number_taken: (p) => `Số thẻ đoàn viên${p.q()} đã được cấp cho người khác.`,
  commune_code_invalid: (p) => `Mã xã/phường${p.q()} phải gồm đúng 5 chữ số.`,
  email_invalid: (p) => `Địa chỉ email${p.q()} không hợp lệ.`,
  foreign_member_cannot_hold_post: 'Đoàn viên người nước ngoài không được giữ chức vụ công đoàn.',
  member_not_found: 'Không tìm thấy đoàn viên (hoặc đoàn viên ngoài phạm vi của bạn).',
  member_not_under_union: 'Đơn vị của chức vụ phải là đơn vị của đoàn viên hoặc cấp trên của nó.',
  nationality_invalid: (p) => `Quốc tịch${p.q()} không hợp lệ; hãy dùng mã quốc gia hai chữ cái, ví dụ VN.`,
  not_above_member_union: 'Công đoàn quyết định kết nạp phải là công đoàn của đoàn viên hoặc cấp trên của nó.',
  not_allowed: 'Không được nhập trường này trong thao tác này.',
  passport_invalid_format: (p) => `Số hộ chiếu${p.q()} phải gồm 6 đến 20 chữ cái hoặc chữ số.`,
  passport_taken: (p) => `Số hộ chiếu${p.q()} đã có trong sổ đoàn viên.`,
  passport_unusable: () =>
    'Không thể dùng số hộ chiếu này ở đây. Nếu người này là đoàn viên của công đoàn khác, đề nghị công đoàn cấp trên làm thủ tục chuyển sinh hoạt.',
  personal_id_gender_mismatch: (p) =>
    p.has('id_gender') && p.has('gender')
      ? `Số định danh${p.q()} là của người ${p.label('gender', 'id_gender').toLowerCase()}, nhưng giới tính đã khai là ${p.label('gender', 'gender').toLowerCase()}.`
      : 'Số định danh không khớp với giới tính và thế kỷ sinh đã khai.',
  personal_id_invalid_format: (p) => `Số định danh cá nhân${p.q()} phải gồm đúng 12 chữ số.`,
  personal_id_taken: (p) => `Số định danh${p.q()} đã có trong sổ đoàn viên.`,
  personal_id_unusable: () =>
    'Không thể dùng số định danh này ở đây. Nếu người này là đoàn viên của công đoàn khác, đề nghị công đoàn cấp trên làm thủ tục chuyển sinh hoạt.',
  personal_id_unknown_province: (p) =>
    `Ba chữ số đầu${p.opt('province_code', ' ({})')} của số định danh${p.q()} không phải mã tỉnh hợp lệ.`,
  personal_id_year_mismatch: (p) =>
    p.has('id_year') && p.has('birth_year')
      ? `Số định danh${p.q()} ứng với năm sinh ${p.text('id_year')}, nhưng ngày sinh đã khai năm ${p.text('birth_year')}.`
      : 'Số định danh không khớp với năm sinh đã khai.',
  phone_invalid: (p) => `Số điện thoại${p.q()} không phải số di động Việt Nam (ví dụ 0912 345 678).`,
  post_already_held: 'Đoàn viên đã giữ chức vụ này tại đơn vị trong khoảng thời gian này.',
  post_ended: (p) => `Chức vụ này đã kết thúc${p.opt('ended', ' ngày {}', 'date')}.`,
  post_not_for_level: 'Chức vụ này không phù hợp với cấp của đơn vị.',
  post_taken: 'Người khác đang giữ chức vụ này tại đơn vị; hãy kết thúc nhiệm kỳ của họ trước.',
  rejoin_too_soon: (p) =>
    `Đoàn viên ra khỏi tổ chức${p.opt('left', ' ngày {}', 'date')} chỉ được gia nhập lại sau ${p.num('months') || '3'} tháng${p.opt('earliest', ': có thể gia nhập lại từ ngày {}', 'date')}.`,
  same_union: 'Đoàn viên đang sinh hoạt tại đơn vị này.',
  status_not_allowed: (p) => `Trạng thái hiện tại của đoàn viên${statusVi(p)} không cho phép thao tác này.`,
  too_young_at_admission: (p) =>
    `Người này chưa đủ ${p.num('min_age') || '15'} tuổi vào ngày kết nạp${p.opt('earliest', ' (đủ tuổi từ ngày {})', 'date')}.`,
  transfer_not_found: 'Không tìm thấy yêu cầu chuyển sinh hoạt.',
  transfer_not_pending: (p) =>
    `Yêu cầu này đã được xử lý${p.has('status') ? ` («${p.label('transferStatus', 'status')}»)` : ''}.`,
  transfer_pending: 'Đoàn viên đang có yêu cầu chuyển sinh hoạt chờ đơn vị nhận duyệt; hãy hủy yêu cầu đó trước.',
  transfer_stale: 'Đoàn viên đã thay đổi đơn vị hoặc trạng thái kể từ khi gửi yêu cầu; yêu cầu không còn hiệu lực.',
  union_level_holds_no_members:
    'Cấp công đoàn này quản lý đơn vị, không quản lý đoàn viên; hãy chọn công đoàn cơ sở hoặc đơn vị trong đó.',
  // enterprises
  enterprise_has_union: 'Doanh nghiệp đã có công đoàn cơ sở đang hoạt động.',
  enterprise_not_found: (p) => `Không tìm thấy doanh nghiệp${p.q()} (hoặc doanh nghiệp ngoài phạm vi của bạn).`,
  enterprise_not_operating: 'Chỉ thành lập công đoàn ở doanh nghiệp đang hoạt động.',
  female_exceeds_total: (p) => `Số lao động nữ${p.q()} không được lớn hơn tổng số lao động${p.opt('total', ' ({})', 'num')}.`,
  responsible_union_inactive: 'Công đoàn phụ trách đã giải thể hoặc sáp nhập.',
  responsible_union_level: 'Công đoàn phụ trách phải là LĐLĐ tỉnh hoặc công đoàn cấp trên trực tiếp cơ sở.',
  tax_code_check_digit: (p) => `Chữ số kiểm tra của mã số thuế${p.q()} không đúng; hãy xem có gõ nhầm chữ số nào.`,
  tax_code_invalid_format: (p) => `Mã số thuế${p.q()} phải gồm 10 chữ số, hoặc 13 chữ số với mã chi nhánh 001-999.`,
  tax_code_serial: (p) => `Phần số thứ tự của mã số thuế${p.q()} không được là 0000000.`,
  tax_code_taken: (p) => `Mã số thuế${p.q()} đã được đăng ký.`,
  vsic_invalid_format: (p) => `Mã ngành VSIC${p.q()} phải là một chữ cái A-U hoặc từ 1 đến 5 chữ số.`,
  // evaluations
  above_max_points: (p) =>
    `Tiêu chí${p.opt('indicator', ' {}')} được tối đa ${p.num('max') || '?'} điểm${p.opt('value', ' (đã nhập {})', 'num')}.`,
  appraisal_incomplete: (p) => `Còn thiếu điểm thẩm định${p.opt('missing', ' cho: {}')}.`,
  evaluation_not_found: 'Không tìm thấy phiếu đánh giá (hoặc phiếu ngoài phạm vi của bạn).',
  evaluation_status: (p) => `Trạng thái hiện tại của phiếu đánh giá${p.opt('status', ' ({})')} không cho phép thao tác này.`,
  evidence_limit: (p) =>
    `Tiêu chí${p.opt('indicator', ' {}')} đã có đủ ${p.num('max') || '5'} tệp minh chứng; hãy xóa bớt tệp cũ trước khi thêm.`,
  evidence_not_found: 'Không tìm thấy tệp minh chứng (hoặc tệp ngoài phạm vi của bạn).',
  evidence_too_large: (p) => `Tệp minh chứng quá lớn (tối đa ${p.num('max_mb') || '10'} MB mỗi tệp).`,
  evidence_type: (p) => `Chỉ nhận tệp minh chứng dạng ${p.text('allowed') || 'pdf, jpg, png, docx'}.`,
  evidence_type_mismatch: (p) =>
    `Nội dung tệp${p.opt('detected', ' (là tệp {})')} không khớp với phần mở rộng${p.opt('ext', ' .{}')}; hãy đặt đúng tên tệp.`,
  quota_exceeded: (p) =>
    `Vượt tỷ lệ cho phép${p.opt('level', ' xếp loại «{}»')}${p.opt('max_share', ' (tối đa {})', 'percent')}${p.has('count') && p.has('base') ? `: sẽ thành ${p.num('count')} trên ${p.num('base')} đơn vị` : ''}.`,
  part_deadline_after_round: (p) =>
    `Hạn của đơn vị phải sớm hơn hoặc bằng hạn chung của đợt đánh giá${p.opt('deadline', ' ({})', 'date')}.`,
  part_not_under_round: 'Đơn vị không có công đoàn cơ sở nào được đánh giá trong đợt này (đơn vị mở đợt tự điều hành cả đợt).',
  round_exists: (p) => `Đơn vị đã có đợt đánh giá${p.opt('year', ' năm {}')}.`,
  round_not_complete: (p) =>
    `Đợt đánh giá còn${p.has('pending') ? ` ${p.num('pending')}` : ''} phiếu chưa được duyệt.`,
  round_not_found: 'Không tìm thấy đợt đánh giá (hoặc đợt ngoài phạm vi của bạn).',
  round_not_published: 'Chỉ mở lại được đợt đánh giá đã công bố kết quả.',
  round_owner_level: 'Đợt đánh giá do LĐLĐ tỉnh hoặc công đoàn cấp trên trực tiếp cơ sở đang hoạt động mở.',
  round_published: 'Kết quả đợt đánh giá đã công bố; hãy mở lại đợt trước khi sửa.',
  scheme_not_found: 'Không tìm thấy bộ tiêu chí đánh giá.',
  scheme_not_in_force: (p) => `Bộ tiêu chí không có hiệu lực${p.opt('year', ' cho năm {}')}.`,
  scores_incomplete: (p) => `Còn thiếu điểm tự chấm${p.opt('missing', ' cho: {}')}.`,
  year_range: (p) => `Khoảng năm không hợp lệ: năm cuối phải từ năm đầu đến tối đa ${p.num('max') || '29'} năm sau.`,
  level_above_points: (p) =>
    `Xếp loại${p.q()} cao hơn mức số điểm cho phép${p.has('total') ? ` (${p.num('total')} điểm${p.opt('expected', ' chỉ đạt «{}»')})` : ''}.`,
  not_in_round: (p) => `Đợt đánh giá không có đơn vị${p.q()} (hoặc đơn vị ngoài phạm vi của bạn).`,
  total_mismatch: (p) => `Tổng điểm${p.q()} khác tổng điểm các nhóm${p.opt('total', ' ({})', 'num')}.`,
  unit_ineligible: (p) => `Đơn vị${p.q()} không thuộc diện xếp loại năm nay.`,
  unknown_group: (p) => `Bộ tiêu chí của đơn vị không có nhóm${p.opt('group', ' {}')}; hãy để trống ô này.`,
  unknown_condition: (p) => `Bộ tiêu chí không có điều kiện${p.opt('condition', ' {}')}.`,
  unknown_indicator: (p) => `Bộ tiêu chí không có tiêu chí${p.opt('indicator', ' {}')}.`,
  // indicators and programmes
  allocation_closed: (p) => `Phần chỉ tiêu giao này đã kết thúc${p.opt('ended', ' ngày {}', 'date')}.`,
  allocation_not_found: 'Không tìm thấy phần chỉ tiêu giao này trong chương trình.',
  before_allocation: (p) => `Ngày bàn giao phải sau ngày bắt đầu giao chỉ tiêu${p.opt('earliest', ' ({})', 'date')}.`,
  before_term: (p) => `Nhiệm kỳ chưa bắt đầu vào ngày này${p.opt('earliest', ' (bắt đầu từ {})', 'date')}.`,
  before_term_start: (p) => `Ngày kết thúc phải sau ngày bắt đầu nhiệm kỳ${p.opt('earliest', ' ({})', 'date')}.`,
  indicator_not_found: (p) => `Không có chỉ tiêu${p.q()} trong danh mục.`,
  indicator_unavailable: 'Chỉ tiêu này chưa tính được: hệ thống chưa lưu dữ liệu cần thiết.',
  not_a_child: (p) =>
    `Đơn vị không trực thuộc${p.opt('union', ' {}')}${p.opt('date', ' vào ngày {}', 'date')}.`,
  not_under_owner: (p) => `Đơn vị không thuộc${p.opt('union', ' {}')}, đơn vị ban hành chương trình.`,
  period_reversed: 'Ngày bắt đầu của kỳ phải trước hoặc bằng ngày kết thúc.',
  programme_not_found: 'Không tìm thấy chương trình (hoặc chương trình ngoài phạm vi của bạn).',
  programme_number_taken: (p) => `Đơn vị đã có chương trình số${p.q()}.`,
  target_not_found: 'Không tìm thấy chỉ tiêu này trong chương trình.',
  unknown_scheme_level: (p) => `Bộ tiêu chí${p.q('scheme')} không có mức xếp loại${p.q()}.`,
  // periodic reports
  already_forwarded: 'Đơn vị đã chuyển tiếp yêu cầu này xuống các đơn vị trực thuộc.',
  deadline_not_before_parent: (p) =>
    `Hạn nộp của đơn vị trực thuộc phải trước hạn nộp của cấp trên${p.has('parent_deadline') ? ` (${p.date('parent_deadline')})` : ''}.`,
  forward_mismatch: (p) => `Yêu cầu chuyển tiếp phải cùng mẫu và kỳ báo cáo với yêu cầu của cấp trên${p.opt('expected', ': {}')}.`,
  forward_not_asked: (p) => `Yêu cầu này không giao cho ${p.text('union') || 'đơn vị'} báo cáo nên không thể chuyển tiếp.`,
  duplicate_key: (p) => `Mã${p.q()} bị trùng: mỗi phần, dòng, cột của mẫu báo cáo cần một mã riêng.`,
  report_locked: 'Báo cáo đã được duyệt nên không thể thay đổi.',
  report_not_found: 'Không tìm thấy báo cáo (hoặc báo cáo ngoài phạm vi của bạn).',
  report_request_not_found: 'Không tìm thấy yêu cầu báo cáo (hoặc yêu cầu ngoài phạm vi của bạn).',
  report_status: 'Báo cáo đang ở trạng thái không cho phép thao tác này (ví dụ: chưa lập số liệu, đã gửi hoặc chưa gửi).',
  report_template_not_found: 'Không tìm thấy mẫu báo cáo.',
  unknown_report_cell: (p) => `Báo cáo không có số liệu hoặc phần${p.q()}.`,
  // training
  accept_and_decline: 'Một đề cử chỉ được chấp nhận hoặc từ chối, không thể cả hai.',
  confirmation_needs_date: 'Giấy xác nhận trình độ cần có ngày cấp.',
  course_closed: (p) => `Lớp học${p.opt('status', ' đang ở trạng thái «{}»')} nên danh sách học viên đã khóa.`,
  course_kind_not_found: 'Không tìm thấy loại lớp học.',
  course_not_found: 'Không tìm thấy lớp học (hoặc lớp ngoài phạm vi của bạn).',
  course_not_running: 'Chỉ ghi điểm danh và kết quả khi lớp học đang diễn ra hoặc đã kết thúc.',
  course_status: (p) => `Không thể chuyển lớp học${p.opt('from', ' từ «{}»')}${p.opt('to', ' sang «{}»')}.`,
  duplicate_participant: 'Mỗi học viên chỉ có một kết quả.',
  ends_before_start: 'Ngày kết thúc không được trước ngày bắt đầu.',
  invalid_level: 'Trình độ không thuộc loại văn bằng, chứng chỉ này.',
  member_card_not_found: (p) => `Không có đoàn viên nào mang số thẻ${p.q()} trong phạm vi của bạn.`,
  nominations_closed: 'Lớp học chưa mở (hoặc đã hết hạn) nhận đề cử.',
  not_a_cadre_indicator: 'Chỉ tiêu kinh phí không có danh sách người.',
  not_a_session: 'Lớp học không có buổi học vào ngày này.',
  not_nominated: (p) => `Người này không ở trạng thái chờ duyệt đề cử${p.opt('status', ' (đang «{}»)')}.`,
  not_on_roster: (p) => `Người mang số thẻ${p.q()} không có trong danh sách lớp, và lớp đã kết thúc nên không thể thêm học viên.`,
  participant_not_accepted: (p) => `Người mang số thẻ${p.q()} chưa được nhận vào lớp${p.opt('status', ' (đang ở tình trạng «{}»)')}; hãy nhận hoặc bỏ dòng này.`,
  participant_not_found: 'Không tìm thấy học viên trong danh sách lớp.',
  present_and_absent: 'Một học viên chỉ có mặt hoặc vắng mặt trong một buổi.',
  qualification_not_found: 'Không tìm thấy văn bằng, chứng chỉ.',
  seats_full: (p) =>
    `Lớp học chỉ có ${p.num('seats') || '?'} chỗ${p.has('taken') ? `, đã nhận ${p.num('taken')}` : ''}: không đủ chỗ cho ${p.num('adding') || 'thêm'} người.`,
  session_outside_course: 'Buổi học phải nằm trong thời gian của lớp.',
  spending_exists: (p) => `Công đoàn đã có số liệu chi${p.opt('year', ' năm {}')}; hãy sửa số liệu đó.`,
  spending_not_found: 'Không tìm thấy số liệu chi.',
  spending_status: (p) => `Trạng thái hiện tại của số liệu chi${p.opt('status', ' ({})')} không cho phép thao tác này.`,
  training_above_total: 'Chi đào tạo không được lớn hơn tổng chi.',
  union_not_invited: 'Công đoàn của đoàn viên không nằm trong các đơn vị được mời cử người.',
  // imports: the file
  duplicate_column: (p) => `Cột${p.q('column')} xuất hiện hai lần.`,
  file_empty: 'Tệp rỗng.',
  file_has_macros: 'Tệp chứa macro; hãy lưu lại dưới dạng .xlsx thông thường.',
  file_no_rows: 'Tệp có dòng tiêu đề nhưng không có dòng dữ liệu.',
  file_rejected: 'Tệp bị từ chối.',
  file_too_complex: 'Đọc tệp này cần quá nhiều bộ nhớ; hãy chia thành nhiều tệp nhỏ hơn.',
  file_too_large: (p) => `Tệp quá lớn (tối đa ${p.num('max_mb') || '20'} MB); hãy chia thành nhiều tệp.`,
  file_type_mismatch: 'Nội dung tệp không khớp với phần mở rộng (.xlsx / .csv).',
  file_type_unsupported: 'Chỉ nhận tệp .xlsx hoặc .csv.',
  file_unreadable: 'Không đọc được tệp (tệp bị hỏng hoặc sai định dạng).',
  file_zip_bomb: 'Tệp có cấu trúc bất thường nên bị từ chối.',
  header_not_found: (p) =>
    `Không tìm thấy dòng tiêu đề${p.opt('rows', ' trong {} dòng đầu', 'num')}${p.opt('sheet', ' của trang tính "{}"')}; hãy dùng đúng tiêu đề cột của tệp mẫu${p.opt('headers', ': {}, ...')}.${p.opt('other_sheets', ' Tệp còn có các trang tính {}: hãy chọn trang chứa danh sách.')}`,
  missing_column: (p) => `Thiếu cột bắt buộc${p.q('column')}${p.opt('alternative', ' (hoặc cột "{}")')}.`,
  too_many_rows: (p) => `Tệp có quá nhiều dòng${p.opt('max', ' (tối đa {} dòng)', 'num')}; hãy chia nhỏ tệp.`,
  // imports: rows and jobs
  duplicate_in_file: (p) =>
    `Giá trị${p.q()} trùng với ${p.has('first_row') ? `dòng ${p.num('first_row')}` : 'một dòng khác'} trong tệp.`,
  import_committed: 'Dữ liệu đã được ghi nên không thể hủy.',
  import_file_gone: 'Tệp đã tải lên của lượt nhập này không còn được lưu.',
  import_has_errors: 'Tệp còn dòng lỗi: hãy sửa tệp, hoặc chọn chỉ ghi các dòng hợp lệ.',
  import_interrupted:
    'Việc kiểm tra tệp bị gián đoạn (máy chủ dừng) và không thể tiếp tục; chưa có gì được ghi. Hãy tải tệp lên lại.',
  import_not_found: 'Không tìm thấy lượt nhập dữ liệu.',
  import_not_validated: 'Chỉ ghi được dữ liệu đã kiểm tra xong.',
  import_nothing_valid: 'Không có dòng nào hợp lệ để ghi.',
  register_changed: 'Sổ đoàn viên vừa thay đổi trong lúc ghi; chưa có gì được ghi. Hãy tải tệp lên lại.',
  union_differs: (p) =>
    `Đoàn viên thuộc đơn vị khác${p.q() ? ` (không phải${p.q()})` : ''}; hãy chuyển sinh hoạt thay vì sửa mã đơn vị.`,
  // added on main after the contract was drafted
  precondition_required: 'Thiếu phiên bản dữ liệu (If-Match) khi sửa; hãy tải lại dữ liệu rồi thực hiện lại.',
  if_match_required: 'Thiếu phiên bản dữ liệu (If-Match) khi sửa; hãy tải lại dữ liệu rồi thực hiện lại.',
  service_busy: (p) => `Hệ thống đang bận; vui lòng thử lại sau${p.opt('retry_after', ' {} giây', 'num') || ' ít giây'}.`,
  service_unavailable: 'Tạm thời không kết nối được cơ sở dữ liệu; vui lòng thử lại sau ít giây.',
  date_out_of_range: (p) =>
    `Ngày${p.q()} không hợp lý: ngày phải nằm trong khoảng ${p.date('first') || '01/01/1900'} đến ${p.date('last') || '31/12/2100'}.`,
  too_many_identifier_searches: (p) =>
    `Bạn đã tìm theo số định danh hoặc số điện thoại quá nhiều lần; vui lòng thử lại sau ${p.has('retry_after') ? `${p.num('retry_after')} giây` : 'ít phút'}.`,
  too_many_exports: (p) =>
    `Bạn đang có quá nhiều lượt xuất dữ liệu cùng lúc${p.opt('max', ' (tối đa {})', 'num')}; hãy chờ một lượt tải xong rồi thử lại.`,
  export_column_unknown: (p) => `Không xuất được cột${p.q('column')}: danh sách không có cột này.`,
  export_purpose_required: 'Hãy ghi mục đích trước khi xuất dữ liệu cá nhân đầy đủ (không che).',
  // integration clients, the change feed, webhooks, e-cards
  card_unavailable: 'Chỉ đoàn viên đang sinh hoạt và đã có số thẻ mới có thẻ đoàn viên điện tử.',
  photo_not_found: 'Đoàn viên này chưa có ảnh.',
  photo_too_large: (p) => `Ảnh quá lớn (tối đa ${p.num('max_mb') || '5'} MB).`,
  photo_too_small: (p) => `Ảnh quá nhỏ; cần ít nhất ${p.num('min_px') || '240'} điểm ảnh mỗi chiều.`,
  photo_type_unsupported: 'Chỉ nhận ảnh JPEG hoặc PNG.',
  photo_unreadable: 'Không đọc được ảnh (tệp bị hỏng, hoặc quá nhiều điểm ảnh).',
  client_not_found: 'Không tìm thấy ứng dụng tích hợp này (hoặc nó không thuộc phạm vi của bạn).',
  client_revoked: 'Ứng dụng tích hợp đã bị thu hồi quyền truy cập.',
  clients_only: 'Chỉ ứng dụng tích hợp (đăng nhập bằng mã ứng dụng và khóa bí mật) mới đăng ký nhận webhook.',
  idempotency_in_progress: 'Yêu cầu đầu tiên với cùng Idempotency-Key đang được xử lý; vui lòng thử lại sau giây lát.',
  idempotency_key_reused: 'Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới.',
  invalid_client: 'Mã ứng dụng hoặc khóa bí mật không đúng, hoặc ứng dụng đã bị thu hồi.',
  invalid_cursor: 'Con trỏ phân trang không hợp lệ; hãy dùng next_cursor mà hệ thống đã trả về.',
  invalid_idempotency_key: 'Idempotency-Key phải gồm 1-255 ký tự ASCII in được.',
  pii_basis_required: 'Cấp quyền xem dữ liệu cá nhân (members:pii) phải ghi rõ căn cứ pháp lý.',
  rate_limited: (p) =>
    `Ứng dụng đã gửi quá nhiều yêu cầu; vui lòng thử lại sau ${p.has('retry_after') ? `${p.num('retry_after')} giây` : 'ít giây'}.`,
  webhook_delivery_not_found: 'Không tìm thấy lượt gửi webhook này.',
  webhook_not_found: 'Không tìm thấy đăng ký webhook này.',
  webhook_url_invalid: 'Địa chỉ webhook không hợp lệ (cần dạng https://tên-miền/...).',
  webhook_url_not_https: 'Webhook chỉ được gửi qua https.',
  webhook_url_private: 'Địa chỉ webhook trỏ tới mạng nội bộ, loopback hoặc link-local; cần quản trị viên cho phép mạng đó trước.',
  webhook_url_unresolvable: 'Không phân giải được tên miền của địa chỉ webhook.',
  file_job_not_found: () => 'Không tìm thấy tệp này (tệp chỉ được giữ 24 giờ).',
  file_not_ready: () => 'Tệp chưa sẵn sàng; hãy chờ thêm.',
  file_build_failed: () => 'Không tạo được tệp; hãy thử lại.',
  file_row_too_large: (p) =>
    `Dòng${p.opt('row', ' {}', 'num')} của tệp lớn bất thường (hơn ${p.num('max_mb') || '4'} MB) nên tệp bị từ chối.`,
  file_cell_too_large: (p) =>
    `Một ô${p.opt('row', ' ở dòng {}', 'num')} có quá nhiều ký tự (tối đa ${p.num('max') || '32.767'} ký tự một ô).`,
  file_too_many_columns: (p) =>
    `Dòng${p.opt('row', ' {}', 'num')} có giá trị ở quá nhiều cột (tối đa ${p.num('max') || '500'}); hãy xóa phần nằm ngoài bảng.`,
  file_too_many_strings: 'Tệp chứa số lượng văn bản khác nhau bất thường nên bị từ chối.',
  sheet_not_found: (p) =>
    `Tệp không có trang tính${p.opt('sheet', ' tên "{}"')}${p.opt('sheets', '; các trang tính của tệp: {}')}.`,
  validation_timeout: (p) =>
    `Đọc tệp quá lâu${p.opt('minutes', ' (hơn {} phút)', 'num')}; hãy chia thành các tệp nhỏ hơn.`,
};
