// User-facing text, Vietnamese first (the default) and English.
// Every Vietnamese string is NFC with full diacritics; tests/browser checks
// the page text is NFC. Unit names come from the API in Vietnamese and are shown
// as they are in both languages (they are official names); kind and level names
// are shown in English when the API sends an English form (apiText below).

const vi = {
  htmlLang: 'vi',
  product: 'Xã hội học tập',
  pageTitle: 'Địa bàn hành chính',
  pageLead: 'Tra cứu đơn vị hành chính theo ngày, trước và sau đợt sắp xếp năm 2025.',
  demoBanner: 'DỮ LIỆU MẪU — dữ liệu minh họa, không phải số liệu thật',
  langButton: 'English',
  langButtonTitle: 'Chuyển sang tiếng Anh',
  dateLabel: 'Xem theo ngày',
  viewing: 'Đang xem ngày',
  quickBefore: 'Trước sắp xếp 2025',
  quickAfter: 'Sau sắp xếp 2025',
  today: 'Hôm nay',
  breadcrumbLabel: 'Vị trí',
  allUnits: 'Toàn bộ địa bàn',
  rootsHeading: 'Đơn vị cấp cao nhất',
  childrenHeading: 'Đơn vị trực thuộc',
  onDate: 'ngày',
  colName: 'Tên',
  colKind: 'Loại',
  colCode: 'Mã',
  colHouseholds: 'Hộ gia đình',
  colPersons: 'Nhân khẩu',
  colClans: 'Dòng họ',
  colOrganisations: 'Đơn vị',
  colOrganisationsTitle: 'Cơ quan, trường học, doanh nghiệp… (đơn vị học tập)',
  colChildren: 'Cấp dưới',
  colChildrenTitle: 'Số đơn vị hành chính trực thuộc',
  total: 'Cộng',
  unitsWord: 'đơn vị',
  noChildren: 'Không có đơn vị trực thuộc vào ngày này.',
  noData: 'Không có dữ liệu để hiển thị.',
  loading: 'Đang tải…',
  detailHeading: 'Thông tin đơn vị',
  fieldCode: 'Mã',
  fieldKind: 'Loại',
  fieldLevel: 'Cấp',
  fieldGroups: 'Nhóm',
  fieldValidity: 'Hiệu lực',
  fieldParent: 'Trực thuộc',
  present: 'nay',
  none: 'Không có',
  countsOn: 'Số liệu ngày',
  countsNote: 'Tính cả đơn vị này và mọi đơn vị bên dưới.',
  subUnits: 'Đơn vị trực thuộc',
  historyHeading: 'Lịch sử sắp xếp',
  predecessors: 'Hình thành từ',
  successors: 'Sáp nhập vào / Chuyển thành',
  changedOn: 'ngày',
  viewOn: 'Xem ngày',
  versions: 'Các phiên bản',
  rootsSummary: 'Tổng hợp các đơn vị cấp cao nhất',
  pickHint: 'Chọn tên một đơn vị trong bảng để xem chi tiết và lịch sử sắp xếp.',
  notValidHint: 'Đơn vị này không có hiệu lực vào ngày đã chọn. Chọn một phiên bản hoặc đơn vị liên quan:',
  errorNetwork: 'Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.',
  errorHttp: 'Máy chủ trả lỗi (HTTP {status}).',
  errorTitle: 'Không tải được dữ liệu',
  retry: 'Thử lại',
  groups: {
    urban: 'Đô thị',
    rural: 'Nông thôn',
    difficult: 'Vùng đặc biệt khó khăn',
    island: 'Hải đảo',
    'special-zone': 'Đặc khu',
  },
};

const en = {
  htmlLang: 'en',
  product: 'Learning Society',
  pageTitle: 'Administrative units',
  pageLead: 'Browse the administrative hierarchy on any date, before and after the 2025 reorganisation.',
  demoBanner: 'DEMO DATA — generated for illustration, not real figures',
  langButton: 'Tiếng Việt',
  langButtonTitle: 'Chuyển sang tiếng Việt',
  dateLabel: 'Show on date',
  viewing: 'Showing',
  quickBefore: 'Before the 2025 reform',
  quickAfter: 'After the 2025 reform',
  today: 'Today',
  breadcrumbLabel: 'Location',
  allUnits: 'All units',
  rootsHeading: 'Top-level units',
  childrenHeading: 'Units under',
  onDate: 'on',
  colName: 'Name',
  colKind: 'Kind',
  colCode: 'Code',
  colHouseholds: 'Households',
  colPersons: 'Persons',
  colClans: 'Clans',
  colOrganisations: 'Organisations',
  colOrganisationsTitle: 'Agencies, schools, enterprises… (learning units)',
  colChildren: 'Sub-units',
  colChildrenTitle: 'Number of administrative units directly below',
  total: 'Total',
  unitsWord: 'units',
  noChildren: 'No sub-units on this date.',
  noData: 'Nothing to show.',
  loading: 'Loading…',
  detailHeading: 'Unit details',
  fieldCode: 'Code',
  fieldKind: 'Kind',
  fieldLevel: 'Level',
  fieldGroups: 'Groups',
  fieldValidity: 'Valid',
  fieldParent: 'Part of',
  present: 'present',
  none: 'None',
  countsOn: 'Figures on',
  countsNote: 'This unit and every unit below it.',
  subUnits: 'Sub-units',
  historyHeading: 'Reorganisation history',
  predecessors: 'Formed from',
  successors: 'Merged into / Became',
  changedOn: 'on',
  viewOn: 'Show on',
  versions: 'Versions',
  rootsSummary: 'Summary of the top-level units',
  pickHint: 'Choose a unit name in the table to see its details and history.',
  notValidHint: 'This unit is not valid on the chosen date. Choose a version or a related unit:',
  errorNetwork: 'Cannot reach the server. Check the connection and try again.',
  errorHttp: 'The server answered with an error (HTTP {status}).',
  errorTitle: 'Could not load the data',
  retry: 'Try again',
  groups: {
    urban: 'Urban',
    rural: 'Rural',
    difficult: 'Especially difficult area',
    island: 'Island',
    'special-zone': 'Special zone',
  },
};

export const LANGS = { vi, en };

const STORAGE_KEY = 'hoctap.lang';

/** The saved language, or Vietnamese. localStorage may be unavailable (privacy modes). */
export function loadLang() {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return saved === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function saveLang(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted: the choice still holds for this page */
  }
}

/** Replace {name} placeholders. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ''));
}

/**
 * A name the API gives in Vietnamese (`field`) and, for some fields, also in
 * English (`field_en`, e.g. kind_name_en): the English one in English mode when
 * the server sends it, else the Vietnamese one.
 */
export function apiText(object, field, lang) {
  if (!object) return '';
  if (lang === 'en' && object[`${field}_en`]) return object[`${field}_en`];
  return object[field] || '';
}

/** A group code as words; unknown codes are shown as they are. */
export function groupLabel(t, group) {
  return t.groups[group] || group;
}
