// The texts of the reports page (reports.js), Vietnamese first and English;
// i18n.js merges them into LANGS.

export const reportsVi = {
  navReports: 'Báo cáo',
  reportsTitle: 'Báo cáo',
  reportsLead:
    'Báo cáo năm gửi Bộ Giáo dục và Đào tạo và Hội Khuyến học, hồ sơ tự đánh giá cộng đồng học tập cấp xã và danh sách kèm theo quyết định công nhận, dưới dạng Excel hoặc PDF. Số liệu giống hệt trang tổng quan.',
  reportsChoices: 'Chọn năm, đơn vị và mục tiêu so sánh',
  reportsYear: 'Năm',
  reportsUnit: 'Đơn vị',
  reportsTargets: 'Mục tiêu so sánh',
  reportsTargetsDefault: 'Theo từng danh hiệu (mặc định)',
  reportsBasis: 'Tỷ lệ so với mục tiêu',
  reportsBasisEvaluation: 'Đạt tiêu chí (theo đánh giá)',
  reportsBasisDecision: 'Được công nhận (theo quyết định)',
  reportsAnnual: 'Báo cáo kết quả xây dựng xã hội học tập năm',
  reportsAnnualText:
    'Theo từng danh hiệu: số đăng ký, đạt tiêu chí và được công nhận, tỷ lệ, mục tiêu và chênh lệch của đơn vị và từng xã (trước năm 2025: từng huyện và các xã), tóm tắt tiến độ, các đơn vị xa mục tiêu nhất, quy mô và các mục tiêu. Có biểu đồ.',
  reportsDossier: 'Hồ sơ tự đánh giá cộng đồng học tập cấp xã',
  reportsDossierText:
    'Bảng tổng hợp mọi tiêu chí, chỉ tiêu của xã: giá trị, mức đạt, tình trạng và minh chứng; mức độ chung, trạng thái hồ sơ và ý kiến người xét duyệt; các tỷ lệ của xã.',
  reportsDossierNeedsCommune: 'Chọn một xã, phường hoặc đặc khu ở ô Đơn vị để lập hồ sơ.',
  reportsDossierFrom: 'Danh hiệu này áp dụng từ năm 2024.',
  reportsTitleList: 'Danh sách được công nhận',
  reportsTitleListText:
    'Danh sách kèm theo quyết định công nhận: tên, địa chỉ, mã giấy công nhận, mức độ, thời hạn. Chọn một quyết định, hoặc lấy mọi quyết định của đơn vị trong năm.',
  reportsDecision: 'Quyết định',
  reportsAllDecisions: 'Mọi quyết định của đơn vị trong năm',
  reportsNoDecisions: 'Chưa có quyết định công nhận nào trong năm này.',
  reportsDownloadXlsx: 'Tải Excel (.xlsx)',
  reportsDownloadPdf: 'Tải PDF',
  reportsDownloadTitle: 'Tải báo cáo với các lựa chọn ở trên',
  reportsLoadingUnits: 'Đang tải danh sách đơn vị…',
};

export const reportsEn = {
  navReports: 'Reports',
  reportsTitle: 'Reports',
  reportsLead:
    "The yearly report to MOET and the Study Promotion Association, a commune's self-assessment dossier and the list annexed to a recognition decision, as Excel or PDF. The numbers are the dashboard's.",
  reportsChoices: 'Choose the year, unit and targets',
  reportsYear: 'Year',
  reportsUnit: 'Unit',
  reportsTargets: 'Compare with',
  reportsTargetsDefault: 'The targets that apply to each title (default)',
  reportsBasis: 'Rate compared with the target',
  reportsBasisEvaluation: 'Criteria met (evaluation)',
  reportsBasisDecision: 'Recognised (decisions)',
  reportsAnnual: 'Yearly report on building a learning society',
  reportsAnnualText:
    'Per title: registered, criteria met and recognised, the rates, the target and the gap of the unit and each commune (before 2025: each district and its communes), a summary of progress, the units furthest behind, registry sizes and the targets. With charts.',
  reportsDossier: 'Learning-commune self-assessment dossier',
  reportsDossierText:
    "Every criterion and indicator of the commune: value, level reached, status and evidence; the overall level, the record's stage and the reviewer's comment; the commune's rates.",
  reportsDossierNeedsCommune: 'Choose a commune, ward or special zone as the unit to make its dossier.',
  reportsDossierFrom: 'This title applies from 2024.',
  reportsTitleList: 'List of recognised entities',
  reportsTitleListText:
    "The list annexed to a recognition decision: name, address, certificate code, level, validity. Choose a decision, or take every decision of the unit in the year.",
  reportsDecision: 'Decision',
  reportsAllDecisions: "Every decision of the unit in the year",
  reportsNoDecisions: 'No recognition decision in this year yet.',
  reportsDownloadXlsx: 'Download Excel (.xlsx)',
  reportsDownloadPdf: 'Download PDF',
  reportsDownloadTitle: 'Download the report with the choices above',
  reportsLoadingUnits: 'Loading the units…',
};
