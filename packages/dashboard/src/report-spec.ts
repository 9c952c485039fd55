/**
 * What the report builder offers for each subject: its dimensions and measures (as the API's
 * ReportSubject descriptions list them; test/e2e/dashboard.test.ts checks this table against
 * the schema), with bilingual labels.
 */
export type Subject = 'ENTERPRISES' | 'GRADE_CHANGES' | 'RETROFIT_PROJECTS' | 'DISBURSEMENTS' | 'OBSERVATIONS' | 'CLUES' | 'ENFORCEMENT_ACTIONS' | 'WARNINGS' | 'MEASURE_CHECKS' | 'HOUSEHOLD_CONVERSIONS' | 'AGRICULTURAL_FACILITIES' | 'COMBUSTION_UNITS';

export interface SubjectSpec {
  zh: string;
  en: string;
  dimensions: string[];
  measures: string[];
}

export const SUBJECTS: Record<Subject, SubjectSpec> = {
  ENTERPRISES: { zh: '企业', en: 'Enterprises', dimensions: ['REGION', 'PROVINCE', 'CITY', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE'], measures: ['COUNT'] },
  GRADE_CHANGES: { zh: '绩效分级变更', en: 'Grade changes', dimensions: ['REGION', 'PROVINCE', 'CITY', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE', 'MONTH', 'CAMPAIGN'], measures: ['COUNT'] },
  RETROFIT_PROJECTS: {
    zh: '治理项目',
    en: 'Retrofit projects',
    dimensions: ['REGION', 'PROVINCE', 'CITY', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE', 'PROJECT_TYPE', 'PROJECT_STATUS', 'TASK_TARGET', 'MONTH', 'CAMPAIGN'],
    measures: ['COUNT', 'CAPACITY', 'HOUSEHOLDS', 'UNITS', 'INVESTMENT'],
  },
  DISBURSEMENTS: {
    zh: '补贴发放',
    en: 'Subsidy disbursements',
    dimensions: ['REGION', 'PROVINCE', 'CITY', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE', 'SUBSIDY_PROGRAM', 'LOW_INCOME', 'MONTH', 'CAMPAIGN'],
    measures: ['COUNT', 'AMOUNT', 'DAYS_TO_PAYMENT'],
  },
  OBSERVATIONS: { zh: '空气质量日观测', en: 'Daily air quality', dimensions: ['REGION', 'PROVINCE', 'CITY', 'MONTH', 'CAMPAIGN'], measures: ['COUNT', 'PM25', 'HEAVY_DAYS'] },
  CLUES: {
    zh: '问题线索',
    en: 'Enforcement clues',
    dimensions: ['REGION', 'PROVINCE', 'CITY', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE', 'ROUND', 'CLUE_STAGE', 'CLUE_SOURCE', 'CLUE_TOPIC', 'MONTH', 'CAMPAIGN'],
    measures: ['COUNT', 'CONFIRMED', 'RECTIFIED_ON_TIME', 'OVERDUE', 'DAYS_OVERDUE', 'SPOT_CHECK_FAILED', 'DAYS_IDENTIFIED', 'DAYS_INVESTIGATING', 'DAYS_RECTIFYING', 'DAYS_SUPERVISED', 'DAYS_SPOT_CHECK', 'ACTIONS', 'FINE_AMOUNT'],
  },
  ENFORCEMENT_ACTIONS: { zh: '执法处罚', en: 'Enforcement actions', dimensions: ['REGION', 'PROVINCE', 'CITY', 'ROUND', 'ACTION_KIND', 'CLUE_TOPIC', 'MONTH', 'CAMPAIGN'], measures: ['COUNT', 'FINE_AMOUNT'] },
  WARNINGS: { zh: '重污染天气预警', en: 'Heavy-pollution warnings', dimensions: ['REGION', 'PROVINCE', 'CITY', 'LEVEL', 'MONTH', 'CAMPAIGN'], measures: ['COUNT', 'FLAGGED', 'WARNING_DAYS'] },
  MEASURE_CHECKS: { zh: '应急减排督查', en: 'Measure checks', dimensions: ['REGION', 'PROVINCE', 'CITY', 'LEVEL', 'WARNING', 'INDUSTRY', 'GRADE', 'ENTERPRISE_SIZE', 'MONTH', 'CAMPAIGN'], measures: ['COUNT', 'CHECK_FAILED', 'DOWNGRADED'] },
  HOUSEHOLD_CONVERSIONS: { zh: '村级散煤改造', en: 'Village conversions', dimensions: ['REGION', 'PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE', 'MONTH', 'CAMPAIGN'], measures: ['COUNT', 'HOUSEHOLDS'] },
  AGRICULTURAL_FACILITIES: { zh: '农业散煤设施', en: 'Agricultural coal facilities', dimensions: ['REGION', 'PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE', 'MONTH', 'CAMPAIGN'], measures: ['COUNT'] },
  COMBUSTION_UNITS: {
    zh: '锅炉炉窑',
    en: 'Combustion units',
    dimensions: ['REGION', 'PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE', 'INDUSTRY', 'UNIT_KIND', 'UNIT_FUEL', 'UNIT_STATUS', 'MONTH', 'CAMPAIGN'],
    measures: ['COUNT', 'CAPACITY_TPH'],
  },
};

/** Bilingual names of the dimensions. */
export const DIMENSIONS: Record<string, [zh: string, en: string]> = {
  REGION: ['区域', 'Region'],
  PROVINCE: ['省份', 'Province'],
  CITY: ['城市', 'City'],
  INDUSTRY: ['行业', 'Industry'],
  GRADE: ['绩效等级', 'Performance grade'],
  ENTERPRISE_SIZE: ['企业规模', 'Enterprise size'],
  PROJECT_TYPE: ['项目类型', 'Project type'],
  PROJECT_STATUS: ['项目状态', 'Project status'],
  TASK_TARGET: ['任务目标', 'Task target'],
  SUBSIDY_PROGRAM: ['补贴项目', 'Subsidy program'],
  LOW_INCOME: ['低收入户', 'Low-income household'],
  MONTH: ['月份', 'Month'],
  CAMPAIGN: ['攻坚行动', 'Campaign'],
  ROUND: ['督察轮次', 'Supervision round'],
  CLUE_STAGE: ['线索阶段', 'Clue stage'],
  CLUE_SOURCE: ['线索来源', 'Clue source'],
  CLUE_TOPIC: ['线索类别', 'Clue topic'],
  ACTION_KIND: ['处罚种类', 'Action kind'],
  LEVEL: ['预警级别', 'Warning level'],
  WARNING: ['预警', 'Warning'],
  COUNTY: ['区县', 'County'],
  TOWNSHIP: ['乡镇', 'Township'],
  VILLAGE: ['村', 'Village'],
  UNIT_KIND: ['设施类型', 'Unit kind'],
  UNIT_FUEL: ['燃料', 'Fuel'],
  UNIT_STATUS: ['设施状态', 'Unit status'],
};

/** Bilingual names of the measures. */
export const MEASURES: Record<string, [zh: string, en: string]> = {
  COUNT: ['数量', 'Count'],
  CAPACITY: ['产能', 'Capacity'],
  HOUSEHOLDS: ['户数', 'Households'],
  UNITS: ['台数', 'Units'],
  INVESTMENT: ['投资', 'Investment'],
  AMOUNT: ['金额', 'Amount'],
  DAYS_TO_PAYMENT: ['发放天数', 'Days to payment'],
  PM25: ['PM2.5', 'PM2.5'],
  HEAVY_DAYS: ['重污染天数', 'Heavy pollution days'],
  CONFIRMED: ['查实', 'Confirmed'],
  RECTIFIED_ON_TIME: ['按期整改', 'Rectified on time'],
  OVERDUE: ['逾期', 'Overdue'],
  DAYS_OVERDUE: ['逾期天数', 'Days overdue'],
  SPOT_CHECK_FAILED: ['抽查不合格', 'Spot check failed'],
  DAYS_IDENTIFIED: ['识别阶段天数', 'Days identified'],
  DAYS_INVESTIGATING: ['调查阶段天数', 'Days investigating'],
  DAYS_RECTIFYING: ['整改阶段天数', 'Days rectifying'],
  DAYS_SUPERVISED: ['督办阶段天数', 'Days supervised'],
  DAYS_SPOT_CHECK: ['抽查阶段天数', 'Days in spot check'],
  ACTIONS: ['处罚次数', 'Actions'],
  FINE_AMOUNT: ['罚款金额', 'Fine amount'],
  FLAGGED: ['被标记预警', 'Flagged'],
  WARNING_DAYS: ['预警天数', 'Warning days'],
  CHECK_FAILED: ['督查不合格', 'Check failed'],
  DOWNGRADED: ['降级', 'Downgraded'],
  CAPACITY_TPH: ['蒸吨', 'Capacity (t/h)'],
};

export const AGGREGATIONS: Record<string, [zh: string, en: string]> = {
  COUNT: ['计数', 'count'],
  SUM: ['合计', 'sum'],
  AVG: ['平均', 'average'],
  MEDIAN: ['中位数', 'median'],
  MIN: ['最小', 'minimum'],
  MAX: ['最大', 'maximum'],
};

export const TOTALS: Record<string, [zh: string, en: string]> = {
  ROLLUP: ['逐级小计与总计', 'Subtotals per level and grand total'],
  CUBE: ['所有组合小计与总计', 'Subtotals of every combination and grand total'],
  GRAND_TOTAL: ['仅总计', 'Grand total only'],
};

export const GRADES = ['LEADING', 'A', 'B', 'C', 'D'] as const;

/** At most this many dimensions (the API's rule). */
export const MAX_DIMENSIONS = 4;
