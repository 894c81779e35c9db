#!/usr/bin/env python3
"""Writes tests/data/company-names.tsv: labelled pairs of real Chinese company names, for the
matching quality test (`seawall match eval`).

Provenance. Each company below is a real company listed on the Shanghai, Shenzhen or Hong
Kong exchange: its registered Chinese name, the short name (简称) it is traded under where
that is the trade name plus a word or two, and the English name it uses in its annual
reports and on the exchanges' pages. They were written from public knowledge, not copied
from a database; a company was left out wherever its English name or its Chinese name was
not known for certain. Names change (万华化学 was 烟台万华, 海尔智家 was 青岛海尔): the
names here are ones each company has used. Listing markers (ST, *ST) are ones these
companies carried.

Kinds of pair (the category column), a the name as a foreign record writes it, b the name
in the exporter's portfolio:
  zh-en                  the official English name ~ the registered Chinese name, where the
                         English trade name is the pinyin of the Chinese one
  zh-en-short            the official English name ~ the Chinese short name
  zh-en-place            as zh-en, one of the two without its place prefix (江西, Shenzhen)
  place-prefix-zh/-en    a name ~ the same name without its place prefix, in one script
  zh-en-listing-marker   ST康美 ~ the English name; listing-marker-zh: ~ the Chinese name
  zh-en-alias...         the English name translates or brands the trade name (招商 ~
                         China Merchants, 格力 ~ GREE): only an alias in the portfolio can
                         match it; the sixth column holds that alias (what the exporter
                         would list), and `match eval` also counts these without it
  negative-...           different companies: the same industry (same place where the
                         names say so) and another trade name, or the same trade name and
                         another line of business (平安银行 and 中国平安保险; 格力地产 and
                         格力电器), in either script or across the two

Columns: kind, label (1 same company / 0 not), category, a, b[, aliases ';'-separated].
The file is made from the lists below with a fixed seed, so it is reproducible."""
import itertools
import random

# key, registered Chinese name, Chinese short name ("" when it is not the trade name plus
# words), official English name, alias ("" where the English trade name is the pinyin of the
# Chinese one; else what a portfolio would list), group (industry), place variant (1: the
# name begins with a place that can be dropped and leave its trade name)
COMPANIES = """
wannianqing|江西万年青水泥股份有限公司|万年青|Jiangxi Wannianqing Cement Co., Ltd.||cement|1
conch|安徽海螺水泥股份有限公司|海螺水泥|Anhui Conch Cement Company Limited|Conch Cement|cement|1
huaxin|华新水泥股份有限公司|华新水泥|Huaxin Cement Co., Ltd.||cement|0
jidong|唐山冀东水泥股份有限公司|冀东水泥|Tangshan Jidong Cement Co., Ltd.||cement|1
shangfeng|甘肃上峰水泥股份有限公司|上峰水泥|Gansu Shangfeng Cement Co., Ltd.||cement|1
qilianshan|甘肃祁连山水泥集团股份有限公司|祁连山|Gansu Qilianshan Cement Group Co., Ltd.||cement|1
tianshan|新疆天山水泥股份有限公司|天山股份|Xinjiang Tianshan Cement Co., Ltd.||cement|1
tapai|广东塔牌集团股份有限公司|塔牌集团|Guangdong Tapai Group Co., Ltd.||cement|1
ningxiabm|宁夏建材集团股份有限公司|宁夏建材|Ningxia Building Materials Group Co., Ltd.||cement|0
fuyao|福耀玻璃工业集团股份有限公司|福耀玻璃|Fuyao Glass Industry Group Co., Ltd.||building|0
jushi|中国巨石股份有限公司|中国巨石|China Jushi Co., Ltd.||building|1
yuhong|北京东方雨虹防水技术股份有限公司|东方雨虹|Beijing Oriental Yuhong Waterproof Technology Co., Ltd.|Oriental Yuhong|building|1
kibing|株洲旗滨集团股份有限公司|旗滨集团|Zhuzhou Kibing Group Co., Ltd.|Kibing|building|1
weixing|浙江伟星新型建材股份有限公司|伟星新材|Zhejiang Weixing New Building Materials Co., Ltd.||building|1
keshun|科顺防水科技股份有限公司|科顺股份|Keshun Waterproof Technologies Co., Ltd.||building|0
baosteel|宝山钢铁股份有限公司||Baoshan Iron & Steel Co., Ltd.||steel|0
angang|鞍钢股份有限公司|鞍钢股份|Angang Steel Company Limited||steel|0
masteel|马鞍山钢铁股份有限公司||Maanshan Iron & Steel Company Limited||steel|0
nisco|南京钢铁股份有限公司||Nanjing Iron & Steel Co., Ltd.||steel|0
taigang|山西太钢不锈钢股份有限公司||Shanxi Taigang Stainless Steel Co., Ltd.||steel|1
valin|湖南华菱钢铁股份有限公司|华菱钢铁|Hunan Valin Steel Co., Ltd.|Valin Steel|steel|1
zijin|紫金矿业集团股份有限公司|紫金矿业|Zijin Mining Group Co., Ltd.||metals|0
jxcopper|江西铜业股份有限公司|江西铜业|Jiangxi Copper Company Limited||metals|0
chalco|中国铝业股份有限公司|中国铝业|Aluminum Corporation of China Limited||metals|0
sdgold|山东黄金矿业股份有限公司|山东黄金|Shandong Gold Mining Co., Ltd.||metals|0
zhongjin|中金黄金股份有限公司|中金黄金|Zhongjin Gold Corporation Limited||metals|0
ganfeng|江西赣锋锂业集团股份有限公司|赣锋锂业|Ganfeng Lithium Group Co., Ltd.||metals|1
tianqi|天齐锂业股份有限公司|天齐锂业|Tianqi Lithium Corporation||metals|0
huayou|浙江华友钴业股份有限公司|华友钴业|Zhejiang Huayou Cobalt Co., Ltd.||metals|1
ynal|云南铝业股份有限公司||Yunnan Aluminium Co., Ltd.||metals|0
xmtungsten|厦门钨业股份有限公司|厦门钨业|Xiamen Tungsten Co., Ltd.||metals|0
baoti|宝鸡钛业股份有限公司||Baoji Titanium Industry Co., Ltd.||metals|0
hongqiao|中国宏桥集团有限公司|中国宏桥|China Hongqiao Group Limited||metals|1
westernmining|西部矿业股份有限公司|西部矿业|Western Mining Co., Ltd.|Western Mining|metals|0
shenhua|中国神华能源股份有限公司|中国神华|China Shenhua Energy Company Limited||energy|1
yangtze|中国长江电力股份有限公司|长江电力|China Yangtze Power Co., Ltd.|Yangtze Power|energy|0
shpower|上海电力股份有限公司|上海电力|Shanghai Electric Power Co., Ltd.||energy|0
huaneng|华能国际电力股份有限公司|华能国际|Huaneng Power International, Inc.||energy|0
huadian|华电国际电力股份有限公司|华电国际|Huadian Power International Corporation Limited||energy|0
shaanxicoal|陕西煤业股份有限公司|陕西煤业|Shaanxi Coal Industry Company Limited||energy|0
yanzhou|兖州煤业股份有限公司|兖州煤业|Yanzhou Coal Mining Company Limited||energy|0
sinopec|中国石油化工股份有限公司|中国石化|China Petroleum & Chemical Corporation||energy|0
petrochina|中国石油天然气股份有限公司|中国石油|PetroChina Company Limited|PetroChina|energy|0
powerchina|中国电力建设股份有限公司||Power Construction Corporation of China, Ltd.||construction|0
ceec|中国能源建设股份有限公司||China Energy Engineering Corporation Limited||construction|0
tongwei|通威股份有限公司|通威股份|Tongwei Co., Ltd.||solar|0
longi|隆基绿能科技股份有限公司|隆基绿能|LONGi Green Energy Technology Co., Ltd.|LONGi|solar|0
sungrow|阳光电源股份有限公司|阳光电源|Sungrow Power Supply Co., Ltd.|Sungrow|solar|0
jinko|晶科能源股份有限公司|晶科能源|Jinko Solar Co., Ltd.|Jinko Solar|solar|0
trina|天合光能股份有限公司|天合光能|Trina Solar Co., Ltd.|Trina Solar|solar|0
jasolar|晶澳太阳能科技股份有限公司|晶澳科技|JA Solar Technology Co., Ltd.|JA Solar|solar|0
goldwind|新疆金风科技股份有限公司|金风科技|Xinjiang Goldwind Science & Technology Co., Ltd.|Goldwind|solar|1
mingyang|明阳智慧能源集团股份公司|明阳智能|Ming Yang Smart Energy Group Limited||solar|0
wanhua|万华化学集团股份有限公司|万华化学|Wanhua Chemical Group Co., Ltd.||chemicals|0
rongsheng|荣盛石化股份有限公司|荣盛石化|Rongsheng Petrochemical Co., Ltd.||petrochemicals|0
hengli|恒力石化股份有限公司|恒力石化|Hengli Petrochemical Co., Ltd.||petrochemicals|0
hengyi|恒逸石化股份有限公司|恒逸石化|Hengyi Petrochemical Co., Ltd.||petrochemicals|0
tongkun|桐昆集团股份有限公司|桐昆股份|Tongkun Group Co., Ltd.||petrochemicals|0
longsheng|浙江龙盛集团股份有限公司|浙江龙盛|Zhejiang Longsheng Group Co., Ltd.||chemicals|1
hualu|山东华鲁恒升化工股份有限公司|华鲁恒升|Shandong Hualu-Hengsheng Chemical Co., Ltd.||chemicals|1
nhu|浙江新和成股份有限公司|新和成|Zhejiang NHU Co., Ltd.|NHU|chemicals|1
yuntianhua|云南云天化股份有限公司|云天化|Yunnan Yuntianhua Co., Ltd.||chemicals|1
luxi|鲁西化工集团股份有限公司|鲁西化工|Luxi Chemical Group Co., Ltd.||chemicals|0
yangnong|江苏扬农化工股份有限公司|扬农化工|Jiangsu Yangnong Chemical Co., Ltd.||chemicals|1
kingfa|金发科技股份有限公司|金发科技|Kingfa Sci. & Tech. Co., Ltd.|Kingfa|chemicals|0
kangde|康得新复合材料集团股份有限公司|康得新|Kangde Xin Composite Material Group Co., Ltd.||chemicals|0
zhongtai|新疆中泰化学股份有限公司|中泰化学|Xinjiang Zhongtai Chemical Co., Ltd.||chemicals|1
juhua|浙江巨化股份有限公司|巨化股份|Zhejiang Juhua Co., Ltd.||chemicals|1
sanyou|唐山三友化工股份有限公司|三友化工|Tangshan Sanyou Chemical Industries Co., Ltd.||chemicals|1
yihua|湖北宜化化工股份有限公司|湖北宜化|Hubei Yihua Chemical Industry Co., Ltd.||chemicals|1
xinan|浙江新安化工集团股份有限公司|新安股份|Zhejiang Xinan Chemical Industrial Group Co., Ltd.||chemicals|1
gree|珠海格力电器股份有限公司|格力电器|Gree Electric Appliances, Inc. of Zhuhai|GREE|appliances|1
midea|美的集团股份有限公司|美的集团|Midea Group Co., Ltd.|Midea|appliances|0
haier|海尔智家股份有限公司|海尔智家|Haier Smart Home Co., Ltd.||appliances|0
haierbio|青岛海尔生物医疗股份有限公司|海尔生物|Qingdao Haier Biomedical Co., Ltd.||medical|1
changhong|四川长虹电器股份有限公司|四川长虹|Sichuan Changhong Electric Co., Ltd.||appliances|1
meiling|长虹美菱股份有限公司|长虹美菱|Changhong Meiling Co., Ltd.||appliances|0
jiuzhou|四川九洲电器股份有限公司|四川九洲|Sichuan Jiuzhou Electric Co., Ltd.||appliances|1
hisense|海信视像科技股份有限公司|海信视像|Hisense Visual Technology Co., Ltd.|Hisense|appliances|0
hisensehome|海信家电集团股份有限公司|海信家电|Hisense Home Appliances Group Co., Ltd.|Hisense|appliances|0
tcl|TCL科技集团股份有限公司|TCL科技|TCL Technology Group Corporation||electronics|0
skyworth|创维集团有限公司|创维集团|Skyworth Group Limited|Skyworth|appliances|0
supor|浙江苏泊尔股份有限公司|苏泊尔|Zhejiang Supor Co., Ltd.|Supor|appliances|1
joyoung|九阳股份有限公司|九阳股份|Joyoung Co., Ltd.|Joyoung|appliances|0
robam|杭州老板电器股份有限公司|老板电器|Hangzhou Robam Appliances Co., Ltd.|Robam|appliances|1
bear|小熊电器股份有限公司|小熊电器|Bear Electric Appliance Co., Ltd.|Bear Electric|appliances|0
xinbao|广东新宝电器股份有限公司|新宝股份|Guangdong Xinbao Electrical Appliances Holdings Co., Ltd.||appliances|1
bull|公牛集团股份有限公司|公牛集团|Bull Group Co., Ltd.|Bull|appliances|0
opple|欧普照明股份有限公司|欧普照明|Opple Lighting Co., Ltd.|Opple|appliances|0
fsl|佛山电器照明股份有限公司|佛山照明|Foshan Electrical and Lighting Co., Ltd.||appliances|0
sanhua|浙江三花智能控制股份有限公司|三花智控|Zhejiang Sanhua Intelligent Controls Co., Ltd.||machinery|1
inovance|深圳市汇川技术股份有限公司|汇川技术|Shenzhen Inovance Technology Co., Ltd.|Inovance|machinery|1
boe|京东方科技集团股份有限公司||BOE Technology Group Co., Ltd.|BOE|electronics|0
tianma|天马微电子股份有限公司||Tianma Microelectronics Co., Ltd.||electronics|0
sanan|三安光电股份有限公司|三安光电|Sanan Optoelectronics Co., Ltd.||electronics|0
sunwoda|欣旺达电子股份有限公司|欣旺达|Sunwoda Electronic Co., Ltd.|Sunwoda|electronics|0
luxshare|立讯精密工业股份有限公司|立讯精密|Luxshare Precision Industry Co., Ltd.|Luxshare|electronics|0
goertek|歌尔股份有限公司|歌尔股份|Goertek Inc.|Goertek|electronics|0
lens|蓝思科技股份有限公司|蓝思科技|Lens Technology Co., Ltd.|Lens Technology|electronics|0
willsemi|上海韦尔半导体股份有限公司|韦尔股份|Will Semiconductor Co., Ltd. Shanghai|Will Semiconductor|electronics|1
gigadevice|兆易创新科技集团股份有限公司|兆易创新|GigaDevice Semiconductor Inc.|GigaDevice|electronics|0
naura|北方华创科技集团股份有限公司|北方华创|NAURA Technology Group Co., Ltd.|NAURA|electronics|0
hikvision|杭州海康威视数字技术股份有限公司|海康威视|Hangzhou Hikvision Digital Technology Co., Ltd.|Hikvision|electronics|1
dahua|浙江大华技术股份有限公司|大华股份|Zhejiang Dahua Technology Co., Ltd.||electronics|1
iflytek|科大讯飞股份有限公司|科大讯飞|iFLYTEK Co., Ltd.|iFLYTEK|software|0
zte|中兴通讯股份有限公司|中兴通讯|ZTE Corporation|ZTE|electronics|0
huawei|华为技术有限公司|华为|Huawei Technologies Co., Ltd.||electronics|0
dji|深圳市大疆创新科技有限公司|大疆|SZ DJI Technology Co., Ltd.|DJI|electronics|1
xiaomi|小米集团|小米|Xiaomi Corporation||electronics|0
xiaomibj|北京小米科技有限责任公司||Beijing Xiaomi Technology Co., Ltd.||electronics|1
lenovo|联想集团有限公司|联想集团|Lenovo Group Limited|Lenovo|electronics|0
greatwalltech|中国长城科技集团股份有限公司|中国长城|China Greatwall Technology Group Co., Ltd.|Greatwall|electronics|0
inspur|浪潮电子信息产业股份有限公司|浪潮信息|Inspur Electronic Information Industry Co., Ltd.|Inspur|electronics|0
yonyou|用友网络科技股份有限公司|用友网络|Yonyou Network Technology Co., Ltd.|Yonyou|software|0
eastmoney|东方财富信息股份有限公司|东方财富|East Money Information Co., Ltd.|East Money|software|0
hundsun|恒生电子股份有限公司|恒生电子|Hundsun Technologies Inc.|Hundsun|software|0
taiji|太极计算机股份有限公司|太极股份|Taiji Computer Corporation Limited||software|0
catl|宁德时代新能源科技股份有限公司|宁德时代|Contemporary Amperex Technology Co., Limited|Contemporary Amperex Technology|batteries|0
byd|比亚迪股份有限公司|比亚迪|BYD Company Limited|BYD|auto|0
eve|惠州亿纬锂能股份有限公司|亿纬锂能|EVE Energy Co., Ltd.|EVE Energy|batteries|1
gotion|国轩高科股份有限公司|国轩高科|Gotion High-tech Co., Ltd.|Gotion|batteries|0
mindray|深圳迈瑞生物医疗电子股份有限公司|迈瑞医疗|Shenzhen Mindray Bio-Medical Electronics Co., Ltd.|Mindray|medical|1
sunny|舜宇光学科技（集团）有限公司|舜宇光学|Sunny Optical Technology (Group) Company Limited|Sunny Optical|electronics|0
hanslaser|大族激光科技产业集团股份有限公司|大族激光|Han's Laser Technology Industry Group Co., Ltd.|Han's Laser|machinery|0
shengyi|广东生益科技股份有限公司|生益科技|Shengyi Technology Co., Ltd.||electronics|1
shennan|深南电路股份有限公司|深南电路|Shennan Circuits Co., Ltd.||electronics|0
avary|鹏鼎控股（深圳）股份有限公司|鹏鼎控股|Avary Holding (Shenzhen) Co., Limited|Avary|electronics|0
dsbj|苏州东山精密制造股份有限公司|东山精密|Suzhou Dongshan Precision Manufacturing Co., Ltd.||electronics|1
transsion|深圳传音控股股份有限公司|传音控股|Shenzhen Transsion Holdings Co., Ltd.|Transsion|electronics|1
cvte|广州视源电子科技股份有限公司|视源股份|Guangzhou Shiyuan Electronic Technology Company Limited||electronics|1
hytera|海能达通信股份有限公司|海能达|Hytera Communications Corporation Limited|Hytera|electronics|0
topband|深圳拓邦股份有限公司|拓邦股份|Shenzhen Topband Co., Ltd.|Topband|electronics|1
hongfa|宏发科技股份有限公司|宏发股份|Hongfa Technology Co., Ltd.||electrical|0
tongfu|通富微电子股份有限公司||Tongfu Microelectronics Co., Ltd.||electronics|0
huatian|天水华天科技股份有限公司|华天科技|Tianshui Huatian Technology Co., Ltd.||electronics|1
silan|杭州士兰微电子股份有限公司|士兰微|Hangzhou Silan Microelectronics Co., Ltd.|Silan|electronics|1
hengtong|江苏亨通光电股份有限公司|亨通光电|Jiangsu Hengtong Optic-Electric Co., Ltd.||cable|1
zhongtian|江苏中天科技股份有限公司|中天科技|Jiangsu Zhongtian Technology Co., Ltd.||cable|1
chint|浙江正泰电器股份有限公司|正泰电器|Zhejiang Chint Electrics Co., Ltd.|Chint|electrical|1
xj|许继电气股份有限公司|许继电气|XJ Electric Co., Ltd.|XJ Electric|electrical|0
pinggao|河南平高电气股份有限公司|平高电气|Henan Pinggao Electric Co., Ltd.||electrical|1
sieyuan|思源电气股份有限公司|思源电气|Sieyuan Electric Co., Ltd.|Sieyuan|electrical|0
tbea|特变电工股份有限公司|特变电工|TBEA Co., Ltd.|TBEA|electrical|0
dongfang|东方电气股份有限公司|东方电气|Dongfang Electric Corporation Limited||electrical|0
shelectric|上海电气集团股份有限公司|上海电气|Shanghai Electric Group Company Limited||electrical|0
xd|中国西电电气股份有限公司|中国西电|China XD Electric Co., Ltd.|XD Electric|electrical|0
nari|国电南瑞科技股份有限公司|国电南瑞|NARI Technology Co., Ltd.|NARI|electrical|0
wolong|卧龙电气驱动集团股份有限公司|卧龙电驱|Wolong Electric Group Co., Ltd.||electrical|0
huayi|华仪电气股份有限公司|华仪电气|Huayi Electric Co., Ltd.||electrical|0
greatwall|长城汽车股份有限公司|长城汽车|Great Wall Motor Company Limited|Great Wall Motor|auto|0
saic|上海汽车集团股份有限公司|上汽集团|SAIC Motor Corporation Limited|SAIC Motor|auto|0
gac|广州汽车集团股份有限公司||Guangzhou Automobile Group Co., Ltd.||auto|0
changan|重庆长安汽车股份有限公司|长安汽车|Chongqing Changan Automobile Company Limited||auto|1
jac|安徽江淮汽车集团股份有限公司|江淮汽车|Anhui Jianghuai Automobile Group Corp., Ltd.||auto|1
dongfeng|东风汽车集团股份有限公司|东风集团|Dongfeng Motor Group Company Limited||auto|0
weichai|潍柴动力股份有限公司|潍柴动力|Weichai Power Co., Ltd.||machinery|0
yutong|宇通客车股份有限公司|宇通客车|Yutong Bus Co., Ltd.||auto|0
foton|北汽福田汽车股份有限公司|福田汽车|Beiqi Foton Motor Co., Ltd.|Foton Motor|auto|0
kinglong|厦门金龙汽车集团股份有限公司|金龙汽车|Xiamen King Long Motor Group Co., Ltd.|King Long|auto|1
huayu|华域汽车系统股份有限公司|华域汽车|HUAYU Automotive Systems Company Limited||auto|0
sailun|赛轮集团股份有限公司|赛轮轮胎|Sailun Group Co., Ltd.||auto|0
linglong|山东玲珑轮胎股份有限公司|玲珑轮胎|Shandong Linglong Tyre Co., Ltd.||auto|1
zotye|众泰汽车股份有限公司|众泰汽车|Zotye Automobile Co., Ltd.|Zotye|auto|0
lifan|力帆实业（集团）股份有限公司|力帆股份|Lifan Industry (Group) Co., Ltd.||auto|0
sany|三一重工股份有限公司|三一重工|Sany Heavy Industry Co., Ltd.|Sany|machinery|0
zoomlion|中联重科股份有限公司|中联重科|Zoomlion Heavy Industry Science and Technology Co., Ltd.|Zoomlion|machinery|0
xcmg|徐工集团工程机械股份有限公司|徐工机械|XCMG Construction Machinery Co., Ltd.|XCMG|machinery|0
hengliyy|江苏恒立液压股份有限公司|恒立液压|Jiangsu Hengli Hydraulic Co., Ltd.||machinery|1
liugong|广西柳工机械股份有限公司|柳工|Guangxi Liugong Machinery Co., Ltd.||machinery|1
crrc|中国中车股份有限公司|中国中车|CRRC Corporation Limited|CRRC|machinery|0
leadintel|无锡先导智能装备股份有限公司|先导智能|Wuxi Lead Intelligent Equipment Co., Ltd.|Lead Intelligent|machinery|1
hangcha|杭叉集团股份有限公司|杭叉集团|Hangcha Group Co., Ltd.||machinery|0
heli|安徽合力股份有限公司|安徽合力|Anhui Heli Co., Ltd.||machinery|1
zpmc|上海振华重工（集团）股份有限公司|振华重工|Shanghai Zhenhua Heavy Industries Co., Ltd.||machinery|1
smtcl|沈阳机床股份有限公司|沈阳机床|Shenyang Machine Tool Co., Ltd.||machinery|0
huarui|大连华锐重工集团股份有限公司||Dalian Huarui Heavy Industry Group Co., Ltd.||machinery|1
tyhi|太原重工股份有限公司|太原重工|Taiyuan Heavy Industry Co., Ltd.||machinery|0
zmj|郑州煤矿机械集团股份有限公司||Zhengzhou Coal Mining Machinery Group Company Limited||machinery|0
jingsheng|浙江晶盛机电股份有限公司|晶盛机电|Zhejiang Jingsheng Mechanical & Electrical Co., Ltd.||machinery|1
estun|南京埃斯顿自动化股份有限公司|埃斯顿|Estun Automation Co., Ltd.|Estun|machinery|1
dingli|浙江鼎力机械股份有限公司|浙江鼎力|Zhejiang Dingli Machinery Co., Ltd.||machinery|1
hengrui|江苏恒瑞医药股份有限公司|恒瑞医药|Jiangsu Hengrui Medicine Co., Ltd.||pharma|1
baiyao|云南白药集团股份有限公司|云南白药|Yunnan Baiyao Group Co., Ltd.||pharma|0
pzh|漳州片仔癀药业股份有限公司|片仔癀|Zhangzhou Pientzehuang Pharmaceutical Co., Ltd.|Pientzehuang|pharma|1
tongrentang|北京同仁堂股份有限公司|同仁堂|Beijing Tong Ren Tang Co., Ltd.||pharma|1
fosun|上海复星医药（集团）股份有限公司|复星医药|Shanghai Fosun Pharmaceutical (Group) Co., Ltd.|Fosun Pharma|pharma|1
shpharma|上海医药集团股份有限公司|上海医药|Shanghai Pharmaceuticals Holding Co., Ltd.||pharma|0
wuxiapptec|无锡药明康德新药开发股份有限公司|药明康德|WuXi AppTec Co., Ltd.|WuXi AppTec|pharma|0
aier|爱尔眼科医院集团股份有限公司|爱尔眼科|Aier Eye Hospital Group Co., Ltd.||medical|0
huadong|华东医药股份有限公司|华东医药|Huadong Medicine Co., Ltd.||pharma|0
kangmei|康美药业股份有限公司|康美药业|Kangmei Pharmaceutical Co., Ltd.||pharma|0
changsheng|长生生物科技股份有限公司|长生生物|Changsheng Bio-technology Co., Ltd.||pharma|0
furen|辅仁药业集团制药股份有限公司|辅仁药业|Furen Pharmaceutical Group Co., Ltd.||pharma|0
livzon|丽珠医药集团股份有限公司|丽珠集团|Livzon Pharmaceutical Group Inc.|Livzon|pharma|0
baiyunshan|广州白云山医药集团股份有限公司|白云山|Guangzhou Baiyunshan Pharmaceutical Holdings Company Limited||pharma|1
yiling|石家庄以岭药业股份有限公司|以岭药业|Shijiazhuang Yiling Pharmaceutical Co., Ltd.||pharma|1
zhifei|重庆智飞生物制品股份有限公司|智飞生物|Chongqing Zhifei Biological Products Co., Ltd.||pharma|1
walvax|云南沃森生物技术股份有限公司|沃森生物|Walvax Biotechnology Co., Ltd.|Walvax|pharma|0
changchunhn|长春高新技术产业（集团）股份有限公司|长春高新|Changchun High & New Technology Industry (Group) Inc.||pharma|0
dongbao|通化东宝药业股份有限公司|通化东宝|Tonghua Dongbao Pharmaceutical Co., Ltd.||pharma|1
jointown|九州通医药集团股份有限公司|九州通|Jointown Pharmaceutical Group Co., Ltd.|Jointown|pharma|0
sinopharm|国药控股股份有限公司|国药控股|Sinopharm Group Co. Ltd.|Sinopharm|pharma|0
lepu|乐普（北京）医疗器械股份有限公司|乐普医疗|Lepu Medical Technology (Beijing) Co., Ltd.||medical|1
yuyue|江苏鱼跃医疗设备股份有限公司|鱼跃医疗|Jiangsu Yuyue Medical Equipment & Supply Co., Ltd.||medical|1
tigermed|杭州泰格医药科技股份有限公司|泰格医药|Hangzhou Tigermed Consulting Co., Ltd.|Tigermed|pharma|1
hualan|华兰生物工程股份有限公司|华兰生物|Hualan Biological Engineering Inc.||pharma|0
tasly|天士力医药集团股份有限公司|天士力|Tasly Pharmaceutical Group Co., Ltd.|Tasly|pharma|0
humanwell|人福医药集团股份公司|人福医药|Humanwell Healthcare (Group) Co., Ltd.|Humanwell|pharma|0
zjmedicine|浙江医药股份有限公司|浙江医药|Zhejiang Medicine Co., Ltd.||pharma|0
moutai|贵州茅台酒股份有限公司|贵州茅台|Kweichow Moutai Co., Ltd.|Moutai|liquor|0
wuliangye|宜宾五粮液股份有限公司|五粮液|Wuliangye Yibin Co., Ltd.||liquor|1
laojiao|泸州老窖股份有限公司|泸州老窖|Luzhou Laojiao Co., Ltd.||liquor|0
fenjiu|山西杏花村汾酒厂股份有限公司||Shanxi Xinghuacun Fen Wine Factory Co., Ltd.||liquor|1
yanghe|江苏洋河酒厂股份有限公司|洋河股份|Jiangsu Yanghe Brewery Joint-Stock Co., Ltd.||liquor|1
gujing|安徽古井贡酒股份有限公司|古井贡酒|Anhui Gujing Distillery Company Limited||liquor|1
shede|舍得酒业股份有限公司|舍得酒业|Shede Spirits Co., Ltd.||liquor|0
kouzi|安徽口子酒业股份有限公司||Anhui Kouzi Distillery Co., Ltd.||liquor|1
laobaigan|河北衡水老白干酒业股份有限公司||Hebei Hengshui Laobaigan Liquor Co., Ltd.||liquor|1
yingjia|安徽迎驾贡酒股份有限公司|迎驾贡酒|Anhui Yingjia Distillery Co., Ltd.||liquor|1
yilite|新疆伊力特实业股份有限公司|伊力特|Xinjiang Yilite Industry Co., Ltd.||liquor|1
tsingtao|青岛啤酒股份有限公司|青岛啤酒|Tsingtao Brewery Company Limited||beer|0
yanjing|北京燕京啤酒股份有限公司|燕京啤酒|Beijing Yanjing Brewery Co., Ltd.||beer|1
cqbeer|重庆啤酒股份有限公司|重庆啤酒|Chongqing Brewery Co., Ltd.||beer|0
zhujiang|广州珠江啤酒股份有限公司|珠江啤酒|Guangzhou Zhujiang Brewery Co., Ltd.||beer|1
huiquan|福建省燕京惠泉啤酒股份有限公司||Fujian Yanjing Huiquan Brewery Co., Ltd.||beer|1
yili|内蒙古伊利实业集团股份有限公司|伊利股份|Inner Mongolia Yili Industrial Group Co., Ltd.||dairy|1
mengniu|中国蒙牛乳业有限公司|蒙牛乳业|China Mengniu Dairy Company Limited||dairy|1
brightdairy|光明乳业股份有限公司|光明乳业|Bright Dairy & Food Co., Ltd.|Bright Dairy|dairy|0
feihe|中国飞鹤有限公司|中国飞鹤|China Feihe Limited||dairy|1
haitian|佛山市海天调味食品股份有限公司|海天味业|Foshan Haitian Flavouring and Food Co., Ltd.||food|1
qianhe|千禾味业食品股份有限公司|千禾味业|Qianhe Condiment and Food Co., Ltd.||food|0
jiajia|加加食品集团股份有限公司|加加食品|Jiajia Food Group Co., Ltd.||food|0
shuanghui|河南双汇投资发展股份有限公司|双汇发展|Henan Shuanghui Investment & Development Co., Ltd.||food|1
angel|安琪酵母股份有限公司|安琪酵母|Angel Yeast Co., Ltd.|Angel Yeast|food|0
fuling|重庆市涪陵榨菜集团股份有限公司|涪陵榨菜|Chongqing Fuling Zhacai Group Co., Ltd.||food|1
nongfu|农夫山泉股份有限公司|农夫山泉|Nongfu Spring Co., Ltd.|Nongfu Spring|food|0
chacha|洽洽食品股份有限公司|洽洽食品|ChaCha Food Company, Limited|ChaCha|food|0
juewei|绝味食品股份有限公司|绝味食品|Juewei Food Co., Ltd.||food|0
sanquan|三全食品股份有限公司|三全食品|Sanquan Food Co., Ltd.||food|0
xiwang|西王食品股份有限公司|西王食品|Xiwang Foodstuffs Co., Ltd.||food|0
shuangta|烟台双塔食品股份有限公司|双塔食品|Yantai Shuangta Food Co., Ltd.||food|1
xiangpiaopiao|香飘飘食品股份有限公司|香飘飘|Xiangpiaopiao Food Co., Ltd.||food|0
yangyuan|河北养元智汇饮品股份有限公司||Hebei Yangyuan Zhihui Beverage Co., Ltd.||food|1
muyuan|牧原食品股份有限公司|牧原股份|Muyuan Foods Co., Ltd.||farming|0
wens|温氏食品集团股份有限公司|温氏股份|Wens Foodstuff Group Co., Ltd.|Wens|farming|0
newhope|新希望六和股份有限公司|新希望|New Hope Liuhe Co., Ltd.|New Hope Liuhe|farming|0
changyu|烟台张裕葡萄酿酒股份有限公司||Yantai Changyu Pioneer Wine Company Limited|Changyu Pioneer Wine|liquor|0
huanghe|兰州黄河企业股份有限公司|兰州黄河|Lanzhou Huanghe Enterprise Co., Ltd.||beer|1
mogao|甘肃莫高实业发展股份有限公司|莫高股份|Gansu Mogao Industrial Development Co., Ltd.||liquor|1
tonghuawine|通化葡萄酒股份有限公司||Tonghua Grape Wine Co., Ltd.||liquor|0
anta|安踏体育用品有限公司|安踏体育|ANTA Sports Products Limited||apparel|0
lining|李宁有限公司|李宁|Li Ning Company Limited||apparel|0
bosideng|波司登国际控股有限公司|波司登|Bosideng International Holdings Limited||apparel|0
heilan|海澜之家集团股份有限公司|海澜之家|Heilan Home Co., Ltd.|Heilan Home|apparel|0
semir|浙江森马服饰股份有限公司|森马服饰|Zhejiang Semir Garment Co., Ltd.|Semir|apparel|1
youngor|雅戈尔集团股份有限公司|雅戈尔|Youngor Group Co., Ltd.|Youngor|apparel|0
luthai|鲁泰纺织股份有限公司||Lu Thai Textile Co., Ltd.|Lu Thai|apparel|0
huafu|华孚时尚股份有限公司|华孚时尚|Huafu Fashion Co., Ltd.||apparel|0
shenzhou|申洲国际集团控股有限公司|申洲国际|Shenzhou International Group Holdings Limited||apparel|0
jihua|际华集团股份有限公司|际华集团|Jihua Group Corporation Limited||apparel|0
hongdou|江苏红豆实业股份有限公司|红豆股份|Jiangsu Hongdou Industrial Co., Ltd.||apparel|1
mg|上海晨光文具股份有限公司|晨光股份|Shanghai M&G Stationery Inc.|M&G|consumer|1
kuka|顾家家居股份有限公司|顾家家居|Kuka Home Co., Ltd.|Kuka Home|consumer|0
oppein|欧派家居集团股份有限公司|欧派家居|Oppein Home Group Inc.|Oppein Home|consumer|0
laofengxiang|老凤祥股份有限公司|老凤祥|Lao Feng Xiang Co., Ltd.||consumer|0
chowtaifook|周大福珠宝集团有限公司|周大福|Chow Tai Fook Jewellery Group Limited|Chow Tai Fook|consumer|0
yonghui|永辉超市股份有限公司|永辉超市|Yonghui Superstores Co., Ltd.||retail|0
wangfujing|王府井集团股份有限公司|王府井|Wangfujing Group Co., Ltd.||retail|0
bailian|上海百联集团股份有限公司|百联股份|Shanghai Bailian Group Co., Ltd.||retail|1
cqds|重庆百货大楼股份有限公司|重庆百货|Chongqing Department Store Co., Ltd.||retail|0
pingan|中国平安保险（集团）股份有限公司|中国平安|Ping An Insurance (Group) Company of China, Ltd.||insurance|0
chinalife|中国人寿保险股份有限公司|中国人寿|China Life Insurance Company Limited||insurance|0
cpic|中国太平洋保险（集团）股份有限公司||China Pacific Insurance (Group) Co., Ltd.|China Pacific Insurance|insurance|0
pinganbank|平安银行股份有限公司|平安银行|Ping An Bank Co., Ltd.||bank|0
cmb|招商银行股份有限公司|招商银行|China Merchants Bank Co., Ltd.|China Merchants Bank|bank|0
icbc|中国工商银行股份有限公司|工商银行|Industrial and Commercial Bank of China Limited|Industrial and Commercial Bank of China|bank|0
ccb|中国建设银行股份有限公司|建设银行|China Construction Bank Corporation|China Construction Bank|bank|0
boc|中国银行股份有限公司|中国银行|Bank of China Limited||bank|0
abc|中国农业银行股份有限公司||Agricultural Bank of China Limited||bank|0
citicbank|中信银行股份有限公司|中信银行|China CITIC Bank Corporation Limited|China CITIC Bank|bank|0
huaxiabank|华夏银行股份有限公司|华夏银行|Hua Xia Bank Co., Limited||bank|0
cib|兴业银行股份有限公司|兴业银行|Industrial Bank Co., Ltd.|Industrial Bank|bank|0
spdb|上海浦东发展银行股份有限公司||Shanghai Pudong Development Bank Co., Ltd.||bank|0
minsheng|中国民生银行股份有限公司|民生银行|China Minsheng Banking Corp., Ltd.||bank|0
everbright|中国光大银行股份有限公司|光大银行|China Everbright Bank Company Limited|China Everbright Bank|bank|0
psbc|中国邮政储蓄银行股份有限公司|邮储银行|Postal Savings Bank of China Co., Ltd.|Postal Savings Bank of China|bank|0
bob|北京银行股份有限公司||Bank of Beijing Co., Ltd.||bank|0
bosh|上海银行股份有限公司||Bank of Shanghai Co., Ltd.||bank|0
bojs|江苏银行股份有限公司||Bank of Jiangsu Co., Ltd.||bank|0
bonj|南京银行股份有限公司||Bank of Nanjing Co., Ltd.||bank|0
bonb|宁波银行股份有限公司||Bank of Ningbo Co., Ltd.||bank|0
bohz|杭州银行股份有限公司||Bank of Hangzhou Co., Ltd.||bank|0
bocd|成都银行股份有限公司||Bank of Chengdu Co., Ltd.||bank|0
bocs|长沙银行股份有限公司||Bank of Changsha Co., Ltd.||bank|0
bocq|重庆银行股份有限公司||Bank of Chongqing Co., Ltd.||bank|0
bogy|贵阳银行股份有限公司||Bank of Guiyang Co., Ltd.||bank|0
bozz|郑州银行股份有限公司||Bank of Zhengzhou Co., Ltd.||bank|0
boqd|青岛银行股份有限公司||Bank of Qingdao Co., Ltd.||bank|0
bosz|苏州银行股份有限公司||Bank of Suzhou Co., Ltd.||bank|0
boxa|西安银行股份有限公司||Bank of Xi'an Co., Ltd.||bank|0
bolz|兰州银行股份有限公司||Bank of Lanzhou Co., Ltd.||bank|0
xmbank|厦门银行股份有限公司||Xiamen Bank Co., Ltd.||bank|0
qilu|齐鲁银行股份有限公司|齐鲁银行|Qilu Bank Co., Ltd.||bank|0
citics|中信证券股份有限公司|中信证券|CITIC Securities Company Limited|CITIC Securities|securities|0
cms|招商证券股份有限公司|招商证券|China Merchants Securities Co., Ltd.|China Merchants Securities|securities|0
huatai|华泰证券股份有限公司|华泰证券|Huatai Securities Co., Ltd.||securities|0
haitong|海通证券股份有限公司|海通证券|Haitong Securities Co., Ltd.||securities|0
gtja|国泰君安证券股份有限公司|国泰君安|Guotai Junan Securities Co., Ltd.||securities|0
gf|广发证券股份有限公司|广发证券|GF Securities Co., Ltd.|GF Securities|securities|0
orient|东方证券股份有限公司|东方证券|Orient Securities Company Limited|Orient Securities|securities|0
gwsec|长城证券股份有限公司|长城证券|Great Wall Securities Co., Ltd.|Great Wall Securities|securities|0
vanke|万科企业股份有限公司||China Vanke Co., Ltd.|Vanke|realestate|0
poly|保利发展控股集团股份有限公司|保利发展|Poly Developments and Holdings Group Co., Ltd.|Poly|realestate|0
greere|格力地产股份有限公司|格力地产|Gree Real Estate Co., Ltd.|Gree|realestate|0
mideare|美的置业控股有限公司|美的置业|Midea Real Estate Holding Limited|Midea|realestate|0
gemdale|金地（集团）股份有限公司|金地集团|Gemdale Corporation|Gemdale|realestate|0
seazen|新城控股集团股份有限公司|新城控股|Seazen Holdings Co., Ltd.|Seazen|realestate|0
greenland|绿地控股集团股份有限公司|绿地控股|Greenland Holdings Corporation Limited|Greenland|realestate|0
cscec|中国建筑股份有限公司|中国建筑|China State Construction Engineering Corporation Limited|China State Construction|construction|0
crcc|中国铁建股份有限公司|中国铁建|China Railway Construction Corporation Limited|China Railway Construction|construction|0
scg|上海建工集团股份有限公司|上海建工|Shanghai Construction Group Co., Ltd.||construction|0
stec|上海隧道工程股份有限公司||Shanghai Tunnel Engineering Co., Ltd.||construction|0
airchina|中国国际航空股份有限公司|中国国航|Air China Limited|Air China|airlines|0
ceair|中国东方航空股份有限公司|东方航空|China Eastern Airlines Corporation Limited|China Eastern|airlines|0
csair|中国南方航空股份有限公司|南方航空|China Southern Airlines Company Limited|China Southern|airlines|0
hna|海南航空控股股份有限公司||Hainan Airlines Holding Co., Ltd.||airlines|0
spring|春秋航空股份有限公司|春秋航空|Spring Airlines Co., Ltd.|Spring Airlines|airlines|0
juneyao|上海吉祥航空股份有限公司|吉祥航空|Juneyao Airlines Co., Ltd.|Juneyao|airlines|1
cosco|中远海运控股股份有限公司||COSCO SHIPPING Holdings Co., Ltd.|COSCO SHIPPING|logistics|0
sf|顺丰控股股份有限公司|顺丰控股|S.F. Holding Co., Ltd.|S.F.|logistics|0
yto|圆通速递股份有限公司|圆通速递|YTO Express Group Co., Ltd.|YTO Express|logistics|0
yunda|韵达控股股份有限公司|韵达股份|Yunda Holding Co., Ltd.||logistics|0
sto|申通快递股份有限公司|申通快递|STO Express Co., Ltd.|STO Express|logistics|0
sinotrans|中国外运股份有限公司|中国外运|Sinotrans Limited|Sinotrans|logistics|0
daqin|大秦铁路股份有限公司|大秦铁路|Daqin Railway Co., Ltd.||railway|0
guangshen|广深铁路股份有限公司|广深铁路|Guangshen Railway Company Limited||railway|0
szairport|深圳市机场股份有限公司|深圳机场|Shenzhen Airport Co., Ltd.||airports|0
shairport|上海国际机场股份有限公司|上海机场|Shanghai International Airport Co., Ltd.||airports|0
baiyunairport|广州白云国际机场股份有限公司|白云机场|Guangzhou Baiyun International Airport Company Limited||airports|1
jinjiang|上海锦江国际酒店股份有限公司|锦江酒店|Shanghai Jin Jiang International Hotels Co., Ltd.||tourism|1
huangshan|黄山旅游发展股份有限公司|黄山旅游|Huangshan Tourism Development Co., Ltd.||tourism|0
songcheng|宋城演艺发展股份有限公司|宋城演艺|Songcheng Performance Development Co., Ltd.||tourism|0
mango|芒果超媒股份有限公司|芒果超媒|Mango Excellent Media Co., Ltd.|Mango Excellent Media|media|0
focus|分众传媒信息技术股份有限公司|分众传媒|Focus Media Information Technology Co., Ltd.|Focus Media|media|0
huace|浙江华策影视股份有限公司|华策影视|Zhejiang Huace Film & TV Co., Ltd.||media|1
enlight|北京光线传媒股份有限公司|光线传媒|Beijing Enlight Media Co., Ltd.|Enlight Media|media|1
perfectworld|完美世界股份有限公司|完美世界|Perfect World Co., Ltd.|Perfect World|media|0
giant|巨人网络集团股份有限公司|巨人网络|Giant Network Group Co., Ltd.|Giant Network|media|0
guotai|江苏国泰国际集团股份有限公司|江苏国泰|Jiangsu Guotai International Group Co., Ltd.||trading|1
yongtai|浙江永太科技股份有限公司|永太科技|Zhejiang Yongtai Technology Co., Ltd.||chemicals|1
xinwei|北京信威科技集团股份有限公司||Beijing Xinwei Technology Group Co., Ltd.||electronics|1
kaile|湖北凯乐科技股份有限公司||Hubei Kaile Science & Technology Co., Ltd.||electronics|1
zhongzhu|中珠医疗控股股份有限公司||Zhongzhu Healthcare Holding Co., Ltd.||medical|0
antong|安通控股股份有限公司||Antong Holdings Co., Ltd.||logistics|0
"""

# Listing markers the companies carried, as the short name is then written.
MARKERS = [("*ST康得", "kangde"), ("ST康美", "kangmei"), ("*ST长生", "changsheng"),
           ("ST辅仁", "furen"), ("ST华仪", "huayi"), ("*ST力帆", "lifan"), ("*ST信威", "xinwei"),
           ("ST凯乐", "kaile"), ("ST中珠", "zhongzhu"), ("ST安通", "antong")]

# The same trade name in another line of business, legitimately another company.
SAME_TRADE_OTHER_BUSINESS = [("pingan", "pinganbank"), ("cmb", "cms"), ("citics", "citicbank"),
                             ("greatwall", "gwsec"), ("dongfang", "orient"), ("gree", "greere"),
                             ("midea", "mideare"), ("haier", "haierbio"),
                             ("hengli", "hengliyy"), ("hisense", "hisensehome")]

ZH_PLACES = ("内蒙古", "黑龙江", "江西", "安徽", "唐山", "甘肃", "新疆", "广东", "北京", "株洲",
             "浙江", "山西", "湖南", "中国", "山东", "云南", "江苏", "湖北", "珠海", "青岛",
             "四川", "杭州", "深圳市", "深圳", "上海", "广州", "苏州", "天水", "河南", "重庆",
             "厦门", "广西", "无锡", "沈阳", "大连", "南京", "漳州", "石家庄", "通化", "宜宾",
             "福建省", "佛山市", "烟台", "河北", "兰州", "惠州")
EN_PLACES = ("Inner Mongolia", "Jiangxi", "Anhui", "Tangshan", "Gansu", "Xinjiang", "Guangdong",
             "Beijing", "Zhuzhou", "Zhejiang", "Shanxi", "Hunan", "China", "Shandong", "Yunnan",
             "Jiangsu", "Hubei", "Qingdao", "Sichuan", "Hangzhou", "Shenzhen", "Shanghai",
             "Guangzhou", "Suzhou", "Tianshui", "Henan", "Chongqing", "Xiamen", "Guangxi",
             "Wuxi", "Shenyang", "Dalian", "Nanjing", "Zhangzhou", "Shijiazhuang", "Tonghua",
             "Fujian", "Foshan", "Yantai", "Hebei", "Lanzhou", "Huizhou", "Xinjiang")


def strip_zh(name):
    for p in sorted(ZH_PLACES, key=len, reverse=True):
        if name.startswith(p) and len(name) > len(p) + 4:
            rest = name[len(p):]
            return rest[1:] if rest[0] in "省市" else rest
    return None


def strip_en(name):
    for p in sorted(EN_PLACES, key=len, reverse=True):
        if name.startswith(p + " "):
            return name[len(p) + 1:]
    for p, q in ((" of Zhuhai", ""), (" Ltd. Shanghai", " Ltd."), (" Yibin Co.", " Co."),
                 (" (Beijing) ", " "), (" (Shenzhen) ", " ")):
        if p in name:
            return name.replace(p, q)
    return None


def place_of(en):
    """The place an English name begins with ("Bank of X": X), or None."""
    if en.startswith("Bank of "):
        return en.split()[2]
    for p in sorted(EN_PLACES, key=len, reverse=True):
        if en.startswith(p + " "):
            return p
    return None


def main():
    rng = random.Random(20261201)
    cos = {}
    for line in COMPANIES.strip().splitlines():
        key, zh, short, en, alias, group, place = line.split("|")
        cos[key] = dict(key=key, zh=zh, short=short, en=en, alias=alias, group=group,
                        place=place == "1")
    rows = []

    def pos(cat, c, a, b):
        if c["alias"]:
            rows.append(("name", 1, cat.replace("zh-en", "zh-en-alias", 1)
                         if cat.startswith("zh-en") else cat + "-alias", a, b, c["alias"]))
        else:
            rows.append(("name", 1, cat, a, b))

    for c in cos.values():
        pos("zh-en", c, c["en"], c["zh"])
        if c["short"]:
            pos("zh-en-short", c, c["en"], c["short"])
        if c["place"]:
            zh, en = strip_zh(c["zh"]), strip_en(c["en"])
            if zh:
                if not c["alias"]:
                    rows.append(("name", 1, "place-prefix-zh", c["zh"], zh))
                pos("zh-en-place", c, c["en"], zh)
            if en:
                if not c["alias"]:
                    rows.append(("name", 1, "place-prefix-en", c["en"], en))
                pos("zh-en-place", c, en, c["zh"])
    for marked, key in MARKERS:
        c = cos[key]
        rows.append(("name", 1, "zh-en-listing-marker", marked, c["en"]))
        rows.append(("name", 1, "listing-marker-zh", marked, c["zh"]))
    # Hard negatives: every pair of one industry whose English names begin with the same
    # place, then pairs of one industry drawn with the fixed seed; each as the English name
    # against the Chinese, and in one script.
    groups = {}
    for c in cos.values():
        groups.setdefault(c["group"], []).append(c)
    same_place, same_industry = [], []
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            pa, pb = place_of(a["en"]), place_of(b["en"])
            if pa is not None and pa == pb:
                same_place.append((a, b))
            else:
                same_industry.append((a, b))
    rng.shuffle(same_industry)
    for a, b in same_place:
        rows.append(("name", 0, "negative-zh-en-same-place-industry", a["en"], b["zh"]))
        rows.append(("name", 0, "negative-zh-en-same-place-industry", b["en"], a["zh"]))
        rows.append(("name", 0, "negative-zh-same-place-industry", a["zh"], b["zh"]))
        rows.append(("name", 0, "negative-en-same-place-industry", a["en"], b["en"]))
    for a, b in same_industry[:150]:
        rows.append(("name", 0, "negative-zh-en-same-industry", a["en"], b["zh"]))
    for ka, kb in SAME_TRADE_OTHER_BUSINESS:
        a, b = cos[ka], cos[kb]
        rows.append(("name", 0, "negative-zh-en-same-trade-other-business", a["en"], b["zh"]))
        rows.append(("name", 0, "negative-zh-en-same-trade-other-business", b["en"], a["zh"]))
        rows.append(("name", 0, "negative-zh-same-trade-other-business", a["zh"], b["zh"]))
        rows.append(("name", 0, "negative-en-same-trade-other-business", a["en"], b["en"]))
    with open("tests/data/company-names.tsv", "w", encoding="utf-8") as f:
        f.write("# kind\tlabel\tcategory\ta\tb[\taliases] — real company names, made by "
                "tests/data/make_company_pairs.py (provenance there)\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    print(len(rows), "pairs,", sum(r[1] for r in rows), "same company,",
          len(cos), "companies")


if __name__ == "__main__":
    main()
