/**
 * Facts of the 2023-2024 autumn-winter campaign plan (draft of the Ministry of Ecology and
 * Environment), as quoted in the plan. Every figure here is the plan's own: the seeder loads
 * them with origin PLAN. Do not edit figures without a source in the plan.
 */
export const PLAN_2023_2024 = {
  "about": "Reference facts from the draft 2023-2024 autumn-winter air pollution campaign plan for Jing-Jin-Ji and surrounding areas and the Fenwei Plain (plan-2023-2024-autumn-winter.zh.txt beside this file). Region membership follows the 2023 national air quality continuous improvement action plan, which splits the same 56 units into the two regions. divisionCode is the national administrative division code where one exists (null: Xiong'an New Area is not a prefecture-level division in that code list). Every figure below is quoted in the plan; 'quantity' is in 'unit'.",
  "campaign": {
    "code": "2023-2024-autumn-winter",
    "nameZh": "京津冀及周边地区、汾渭平原2023-2024年秋冬季大气污染综合治理攻坚行动",
    "periodStart": "2023-10-01",
    "periodEnd": "2024-03-31",
    "publicCommentDeadline": "2023-10-24",
    "mainGoals": [
      "By end of 2023 every city completes the 2023 air quality improvement target set by the higher-level government.",
      "During the autumn-winter period (2023-10-01 to 2024-03-31) every city meets its PM2.5 concentration control target and its target for days of heavy-or-worse pollution (values per city are set by the competent authority; this document does not list them)."
    ]
  },
  "regions": [
    {
      "code": "JJJ_SURROUNDING",
      "nameZh": "京津冀及周边地区",
      "nameEn": "Jing-Jin-Ji and surrounding areas"
    },
    {
      "code": "FENWEI_PLAIN",
      "nameZh": "汾渭平原",
      "nameEn": "Fenwei Plain"
    }
  ],
  "provinces": [
    {
      "slug": "beijing",
      "nameZh": "北京市",
      "nameEn": "Beijing",
      "divisionCode": "110000"
    },
    {
      "slug": "tianjin",
      "nameZh": "天津市",
      "nameEn": "Tianjin",
      "divisionCode": "120000"
    },
    {
      "slug": "hebei",
      "nameZh": "河北省",
      "nameEn": "Hebei",
      "divisionCode": "130000"
    },
    {
      "slug": "shanxi",
      "nameZh": "山西省",
      "nameEn": "Shanxi",
      "divisionCode": "140000"
    },
    {
      "slug": "shandong",
      "nameZh": "山东省",
      "nameEn": "Shandong",
      "divisionCode": "370000"
    },
    {
      "slug": "henan",
      "nameZh": "河南省",
      "nameEn": "Henan",
      "divisionCode": "410000"
    },
    {
      "slug": "shaanxi",
      "nameZh": "陕西省",
      "nameEn": "Shaanxi",
      "divisionCode": "610000"
    }
  ],
  "cities": [
    {
      "slug": "beijing",
      "nameZh": "北京市",
      "nameEn": "Beijing",
      "province": "beijing",
      "region": "JJJ_SURROUNDING",
      "kind": "MUNICIPALITY",
      "divisionCode": "110000"
    },
    {
      "slug": "tianjin",
      "nameZh": "天津市",
      "nameEn": "Tianjin",
      "province": "tianjin",
      "region": "JJJ_SURROUNDING",
      "kind": "MUNICIPALITY",
      "divisionCode": "120000"
    },
    {
      "slug": "shijiazhuang",
      "nameZh": "石家庄市",
      "nameEn": "Shijiazhuang",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130100"
    },
    {
      "slug": "tangshan",
      "nameZh": "唐山市",
      "nameEn": "Tangshan",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130200"
    },
    {
      "slug": "qinhuangdao",
      "nameZh": "秦皇岛市",
      "nameEn": "Qinhuangdao",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130300"
    },
    {
      "slug": "handan",
      "nameZh": "邯郸市",
      "nameEn": "Handan",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130400"
    },
    {
      "slug": "xingtai",
      "nameZh": "邢台市",
      "nameEn": "Xingtai",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130500"
    },
    {
      "slug": "baoding",
      "nameZh": "保定市",
      "nameEn": "Baoding",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130600"
    },
    {
      "slug": "cangzhou",
      "nameZh": "沧州市",
      "nameEn": "Cangzhou",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "130900"
    },
    {
      "slug": "langfang",
      "nameZh": "廊坊市",
      "nameEn": "Langfang",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "131000"
    },
    {
      "slug": "hengshui",
      "nameZh": "衡水市",
      "nameEn": "Hengshui",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "131100"
    },
    {
      "slug": "xiongan",
      "nameZh": "雄安新区",
      "nameEn": "Xiong'an New Area",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "NEW_AREA",
      "divisionCode": null
    },
    {
      "slug": "dingzhou",
      "nameZh": "定州市",
      "nameEn": "Dingzhou",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "COUNTY_LEVEL_CITY",
      "divisionCode": "130682"
    },
    {
      "slug": "xinji",
      "nameZh": "辛集市",
      "nameEn": "Xinji",
      "province": "hebei",
      "region": "JJJ_SURROUNDING",
      "kind": "COUNTY_LEVEL_CITY",
      "divisionCode": "130181"
    },
    {
      "slug": "taiyuan",
      "nameZh": "太原市",
      "nameEn": "Taiyuan",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140100"
    },
    {
      "slug": "yangquan",
      "nameZh": "阳泉市",
      "nameEn": "Yangquan",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140300"
    },
    {
      "slug": "changzhi",
      "nameZh": "长治市",
      "nameEn": "Changzhi",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140400"
    },
    {
      "slug": "jincheng",
      "nameZh": "晋城市",
      "nameEn": "Jincheng",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140500"
    },
    {
      "slug": "jinzhong",
      "nameZh": "晋中市",
      "nameEn": "Jinzhong",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140700"
    },
    {
      "slug": "yuncheng",
      "nameZh": "运城市",
      "nameEn": "Yuncheng",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "140800"
    },
    {
      "slug": "linfen",
      "nameZh": "临汾市",
      "nameEn": "Linfen",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "141000"
    },
    {
      "slug": "lvliang",
      "nameZh": "吕梁市",
      "nameEn": "Lvliang",
      "province": "shanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "141100"
    },
    {
      "slug": "jinan",
      "nameZh": "济南市",
      "nameEn": "Jinan",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370100"
    },
    {
      "slug": "zibo",
      "nameZh": "淄博市",
      "nameEn": "Zibo",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370300"
    },
    {
      "slug": "zaozhuang",
      "nameZh": "枣庄市",
      "nameEn": "Zaozhuang",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370400"
    },
    {
      "slug": "dongying",
      "nameZh": "东营市",
      "nameEn": "Dongying",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370500"
    },
    {
      "slug": "weifang",
      "nameZh": "潍坊市",
      "nameEn": "Weifang",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370700"
    },
    {
      "slug": "jining",
      "nameZh": "济宁市",
      "nameEn": "Jining",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370800"
    },
    {
      "slug": "taian",
      "nameZh": "泰安市",
      "nameEn": "Tai'an",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "370900"
    },
    {
      "slug": "rizhao",
      "nameZh": "日照市",
      "nameEn": "Rizhao",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371100"
    },
    {
      "slug": "linyi",
      "nameZh": "临沂市",
      "nameEn": "Linyi",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371300"
    },
    {
      "slug": "dezhou",
      "nameZh": "德州市",
      "nameEn": "Dezhou",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371400"
    },
    {
      "slug": "liaocheng",
      "nameZh": "聊城市",
      "nameEn": "Liaocheng",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371500"
    },
    {
      "slug": "binzhou",
      "nameZh": "滨州市",
      "nameEn": "Binzhou",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371600"
    },
    {
      "slug": "heze",
      "nameZh": "菏泽市",
      "nameEn": "Heze",
      "province": "shandong",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "371700"
    },
    {
      "slug": "zhengzhou",
      "nameZh": "郑州市",
      "nameEn": "Zhengzhou",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410100"
    },
    {
      "slug": "kaifeng",
      "nameZh": "开封市",
      "nameEn": "Kaifeng",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410200"
    },
    {
      "slug": "luoyang",
      "nameZh": "洛阳市",
      "nameEn": "Luoyang",
      "province": "henan",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410300"
    },
    {
      "slug": "pingdingshan",
      "nameZh": "平顶山市",
      "nameEn": "Pingdingshan",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410400"
    },
    {
      "slug": "anyang",
      "nameZh": "安阳市",
      "nameEn": "Anyang",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410500"
    },
    {
      "slug": "hebi",
      "nameZh": "鹤壁市",
      "nameEn": "Hebi",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410600"
    },
    {
      "slug": "xinxiang",
      "nameZh": "新乡市",
      "nameEn": "Xinxiang",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410700"
    },
    {
      "slug": "jiaozuo",
      "nameZh": "焦作市",
      "nameEn": "Jiaozuo",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410800"
    },
    {
      "slug": "puyang",
      "nameZh": "濮阳市",
      "nameEn": "Puyang",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "410900"
    },
    {
      "slug": "xuchang",
      "nameZh": "许昌市",
      "nameEn": "Xuchang",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "411000"
    },
    {
      "slug": "luohe",
      "nameZh": "漯河市",
      "nameEn": "Luohe",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "411100"
    },
    {
      "slug": "sanmenxia",
      "nameZh": "三门峡市",
      "nameEn": "Sanmenxia",
      "province": "henan",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "411200"
    },
    {
      "slug": "shangqiu",
      "nameZh": "商丘市",
      "nameEn": "Shangqiu",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "411400"
    },
    {
      "slug": "zhoukou",
      "nameZh": "周口市",
      "nameEn": "Zhoukou",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "411600"
    },
    {
      "slug": "jiyuan",
      "nameZh": "济源市",
      "nameEn": "Jiyuan",
      "province": "henan",
      "region": "JJJ_SURROUNDING",
      "kind": "COUNTY_LEVEL_CITY",
      "divisionCode": "419001"
    },
    {
      "slug": "xian",
      "nameZh": "西安市",
      "nameEn": "Xi'an",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "610100"
    },
    {
      "slug": "tongchuan",
      "nameZh": "铜川市",
      "nameEn": "Tongchuan",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "610200"
    },
    {
      "slug": "baoji",
      "nameZh": "宝鸡市",
      "nameEn": "Baoji",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "610300"
    },
    {
      "slug": "xianyang",
      "nameZh": "咸阳市",
      "nameEn": "Xianyang",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "610400"
    },
    {
      "slug": "weinan",
      "nameZh": "渭南市",
      "nameEn": "Weinan",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "PREFECTURE_CITY",
      "divisionCode": "610500",
      "note": "includes Hancheng (韩城市)"
    },
    {
      "slug": "yangling",
      "nameZh": "杨凌示范区",
      "nameEn": "Yangling Demonstration Zone",
      "province": "shaanxi",
      "region": "FENWEI_PLAIN",
      "kind": "DEMONSTRATION_ZONE",
      "divisionCode": "610403"
    }
  ],
  "taskTargets": [
    {
      "code": "COAL_HOUSEHOLDS",
      "nameZh": "散煤治理（清洁取暖改造）",
      "nameEn": "Loose-coal replacement (clean heating retrofit) of households",
      "comparator": "AT_LEAST",
      "quantity": 787000,
      "unit": "household",
      "deadline": "2023-11-15",
      "deadlineNote": "before the 2023 heating season (采暖季前); the season's start date varies by city",
      "scope": "CAMPAIGN",
      "breakdown": [
        {
          "province": "beijing",
          "quantity": 20000
        },
        {
          "province": "shanxi",
          "quantity": 77000
        },
        {
          "province": "shandong",
          "quantity": 452000
        },
        {
          "province": "henan",
          "quantity": 238000
        }
      ]
    },
    {
      "code": "AGRI_COAL_FACILITIES",
      "nameZh": "农业用煤设施清洁能源替代",
      "nameEn": "Clean-energy replacement of agricultural coal-using facilities",
      "comparator": "AT_LEAST",
      "quantity": 8892,
      "unit": "unit",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "STEEL_ULTRA_LOW_CAPACITY",
      "nameZh": "钢铁行业全流程超低排放改造并公示的产能",
      "nameEn": "Steel capacity with full-process ultra-low-emission retrofit completed and publicised",
      "comparator": "MORE_THAN",
      "quantity": 50000000,
      "unit": "tonne",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "VOCS_FACILITIES",
      "nameZh": "企业VOCs治理设施建设或改造",
      "nameEn": "Enterprises building or upgrading VOCs treatment facilities",
      "comparator": "AT_LEAST",
      "quantity": 1040,
      "unit": "enterprise",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "VOCS_FUGITIVE",
      "nameZh": "企业VOCs无组织排放治理",
      "nameEn": "Enterprises treating fugitive VOCs emissions",
      "comparator": "AT_LEAST",
      "quantity": 1217,
      "unit": "enterprise",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "VOCS_TANKS_LOADING",
      "nameZh": "储罐及装载设施废气综合治理",
      "nameEn": "Storage tanks and loading facilities with waste-gas treatment",
      "comparator": "AT_LEAST",
      "quantity": 2963,
      "unit": "unit",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "COAL_BOILERS_ELIMINATED",
      "nameZh": "淘汰燃煤锅炉",
      "nameEn": "Coal-fired boilers eliminated",
      "comparator": "AT_LEAST",
      "quantity": 55,
      "unit": "unit",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "GAS_GENERATORS_ELIMINATED",
      "nameZh": "淘汰煤气发生炉",
      "nameEn": "Coal gas generators eliminated",
      "comparator": "AT_LEAST",
      "quantity": 169,
      "unit": "unit",
      "deadline": "2023-12-31",
      "scope": "CAMPAIGN"
    },
    {
      "code": "SHANXI_COKE_OVEN_4_3M_CLOSURE",
      "nameZh": "山西省关停炭化室高度4.3米焦炉",
      "nameEn": "Shanxi closes coke ovens with 4.3 m carbonisation chambers",
      "comparator": "DONE",
      "quantity": null,
      "unit": null,
      "deadline": "2023-12-31",
      "scope": "PROVINCE",
      "province": "shanxi"
    },
    {
      "code": "SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN",
      "nameZh": "陕西省制定炭化室高度4.3米焦炉退出方案",
      "nameEn": "Shaanxi adopts an exit plan with a timetable for 4.3 m coke ovens",
      "comparator": "DONE",
      "quantity": null,
      "unit": null,
      "deadline": "2023-12-31",
      "scope": "PROVINCE",
      "province": "shaanxi"
    },
    {
      "code": "TANGSHAN_SHUICAO_RAIL_VOLUME",
      "nameZh": "唐山市水曹铁路大宗物料运输量",
      "nameEn": "Bulk freight carried on Tangshan's Shuicao railway",
      "comparator": "AT_LEAST",
      "quantity": 20000000,
      "unit": "tonne",
      "deadline": "2024-03-31",
      "scope": "CITY",
      "city": "tangshan"
    }
  ],
  "standingRules": [
    {
      "code": "DUST_FALL_LIMIT",
      "textEn": "Each city's average dust fall must not exceed 7 t/(month·km²); county-level monthly dust-fall ranking is encouraged.",
      "threshold": 7,
      "unit": "t/(month*km2)",
      "comparator": "AT_MOST"
    },
    {
      "code": "PUBLIC_FLEET_NEV_SHARE",
      "textEn": "New or replaced public-sector vehicles (buses, taxis, logistics delivery, light sanitation) are at least 80% new-energy vehicles.",
      "threshold": 0.8,
      "unit": "share",
      "comparator": "AT_LEAST"
    },
    {
      "code": "SMALL_COAL_BOILER_ELIMINATION",
      "textEn": "Coal-fired boilers of 35 t/h (steam tonnes per hour) and below are eliminated by law (including tea-water boilers, commercial stoves, grain dryers).",
      "threshold": 35,
      "unit": "t/h",
      "comparator": "AT_MOST"
    },
    {
      "code": "RAIL_ACCESS_FOR_BULK_FREIGHT",
      "textEn": "New or relocated enterprises, logistics parks and ports with bulk freight of 1.5 Mt/year or more connect to a railway spur line or pipeline in principle.",
      "threshold": 1500000,
      "unit": "tonne/year",
      "comparator": "AT_LEAST"
    },
    {
      "code": "ROAD_DUST_STATIONS",
      "textEn": "Fixed road-dust monitoring stations on main urban roads and on the access roads of enterprises or sites used by 500 or more trucks and machines a day.",
      "threshold": 500,
      "unit": "vehicle/day",
      "comparator": "AT_LEAST"
    },
    {
      "code": "BUILD_BEFORE_BREAK",
      "textEn": "'Build first, then break': original heating facilities must not be removed where the new clean heating lacks a safe, stable gas supply or has not yet run stably through one heating season."
    },
    {
      "code": "FRAUD_DOWNGRADE",
      "textEn": "An enterprise found falsifying ultra-low-emission assessment monitoring loses its preferential policies and its performance grade drops to D."
    },
    {
      "code": "ULTRA_LOW_ELIGIBILITY",
      "textEn": "Only enterprises confirmed by assessment monitoring to fully meet ultra-low emission, and publicised, enter the dynamic list and may be rated A or B for heavy-pollution emergency emission cuts."
    },
    {
      "code": "SELF_DETERMINED_CUTS",
      "textEn": "Grade A and leading (引领性) enterprises decide their own emission cuts during heavy-pollution warnings; benchmark enterprises on the positive list are not disturbed by inspections without cause; low grades must cut more."
    },
    {
      "code": "PROTECTED_CLASS",
      "textEn": "Enterprises and projects that secure livelihoods, city operation or national strategic industries may be put in the protected (保障类) class with the city government's consent, provincial review and filing with the Ministry."
    },
    {
      "code": "REGIONAL_LINKAGE",
      "textEn": "When a regional heavy-pollution episode is forecast, cities in the same province linked by the provincial government issue warnings at the same level in principle."
    },
    {
      "code": "DATA_FRAUD_ASSESSMENT",
      "textEn": "A city found tampering with or forging monitoring data is rated unqualified in the assessment directly."
    }
  ],
  "deadlines": [
    {
      "date": "2023-12-31",
      "textEn": "Each province reports its boiler and kiln list, village-level loose-coal retrofit list and high-pollution-fuel ban zones to the Ministry of Ecology and Environment."
    },
    {
      "date": "2024-03-31",
      "textEn": "Special inspection of vehicle emission testing institutions; joint spot checks of enterprise self-monitoring and third-party enforcement monitoring."
    },
    {
      "date": "2024-04-15",
      "textEn": "Each province submits its autumn-winter campaign summary."
    }
  ]
} as const;

export type PlanData = typeof PLAN_2023_2024;
