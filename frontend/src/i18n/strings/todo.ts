/** Strings of the to-do list on the overview (features/todo). */
export const vi = {
  'todo.title': 'Việc cần làm',
  'todo.nothing': 'Không có việc nào đang chờ bạn.',
  'todo.transfers': 'Yêu cầu tiếp nhận chờ bạn quyết định',
  'todo.transfersOverdue': '{n} yêu cầu chờ quá {days} ngày',
  'todo.transfersEscalated': '{n} đã chuyển lên cấp trên',
  'todo.toAppraise': 'Hồ sơ tự đánh giá chờ thẩm định',
  'todo.toSubmit': 'Đơn vị chưa gửi tự đánh giá',
  'todo.trainingDue': 'Cán bộ cần đào tạo, bồi dưỡng theo chức danh',
  'todo.trainingOverdue': '{n} quá hạn',
  'todo.trainingNominations': 'Đề cử học viên chờ bạn nhận hoặc từ chối',
  'todo.trainingOpen': 'Lớp đang nhận đề cử học viên từ đơn vị bạn',
  'todo.badge': '{n} việc đang chờ',
};
