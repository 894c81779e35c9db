#!/usr/bin/env python3
"""Writes tests/data/company-names-heldout.tsv: labelled pairs of real Chinese company names
that the tables of lib/company_words.c were NOT written with, to measure the company-name
matcher honestly (`seawall match eval tests/data/company-names-heldout.tsv`).

Provenance. Written on 2026-12-02 from public knowledge (the names the companies use on the
Shanghai, Shenzhen and Hong Kong exchanges, in their annual reports and on their own pages),
not copied from a database, and not used to tune the matcher: the file was committed before
the matcher was first run on it. The companies are export-oriented manufacturers and listed
companies of many provinces and industries (electronics, LED, appliances, tools, furniture,
toys, textiles and clothing, auto parts and tyres, machinery, solar and batteries,
chemicals, medical supplies, sanitary ware). None of them is among the 354 companies of
tests/data/make_company_pairs.py (checked below when the file is made). A company was left
out where its English or Chinese name was not known for certain; names change, and the ones
here are ones each company has used.

Kinds of pair (the category column; a as a foreign record writes the name, b as the
exporter's portfolio holds it):
  zh-en, zh-en-short     the official English name ~ the registered Chinese name, or ~ the
                         Chinese short name (简称), where the English trade name is the pinyin
                         of the Chinese one
  zh-en-alias...         the official English name translates or brands the trade name
                         (巨星 ~ Great Star, 漫步者 ~ Edifier): the sixth column holds the alias
                         a portfolio would list, and `match eval` also counts the pair
                         without it (names-alias-unaided)
  negative-...           different companies: the same industry and city with another trade
                         name, the same industry elsewhere, and the same trade name in
                         another business (天能动力 batteries, 天能重工 wind towers); as the
                         English name against the Chinese (b's alias given where b has one:
                         "-alias"), and English against English

Columns: kind, label (1 same company / 0 not), category, a, b[, aliases ';'-separated].
Made from the list below with a fixed seed, so it is reproducible."""
import itertools
import os
import random
import sys

# key|registered Chinese name|Chinese short name ("" if not the trade name plus words)|
# official English name|alias ("" where the English trade name is the pinyin of the Chinese;
# else what a portfolio would list)|industry|city
COMPANIES = """
sunlord|深圳顺络电子股份有限公司|顺络电子|Shenzhen Sunlord Electronics Co., Ltd.|Sunlord|components|shenzhen
fenghua|广东风华高新科技股份有限公司|风华高科|Guangdong Fenghua Advanced Technology Holding Co., Ltd.||components|zhaoqing
threecircle|潮州三环（集团）股份有限公司|三环集团|Chaozhou Three-Circle (Group) Co., Ltd.|Three-Circle|components|chaozhou
faratronic|厦门法拉电子股份有限公司|法拉电子|Xiamen Faratronic Co., Ltd.|Faratronic|components|xiamen
sunway|深圳市信维通信股份有限公司|信维通信|Shenzhen Sunway Communication Co., Ltd.|Sunway|components|shenzhen
everwin|深圳市长盈精密技术股份有限公司|长盈精密|Shenzhen Everwin Precision Technology Co., Ltd.|Everwin|components|shenzhen
anjie|苏州安洁科技股份有限公司|安洁科技|Suzhou Anjie Technology Co., Ltd.||components|suzhou
desaybat|深圳市德赛电池科技股份有限公司|德赛电池|Shenzhen Desay Battery Technology Co., Ltd.|Desay|battery|shenzhen
desaysv|惠州市德赛西威汽车电子股份有限公司|德赛西威|Huizhou Desay SV Automotive Co., Ltd.|Desay SV|autoparts|huizhou
chinaeagle|惠州光弘科技股份有限公司|光弘科技|Huizhou China Eagle Electronic Technology Co., Ltd.|China Eagle|components|huizhou
victorygiant|胜宏科技（惠州）股份有限公司|胜宏科技|Victory Giant Technology (Huizhou) Co., Ltd.|Victory Giant|pcb|huizhou
kinwong|深圳市景旺电子股份有限公司|景旺电子|Shenzhen Kinwong Electronic Co., Ltd.|Kinwong|pcb|shenzhen
wus|沪士电子股份有限公司|沪电股份|WUS Printed Circuit (Kunshan) Co., Ltd.|WUS|pcb|suzhou
fastprint|深圳市兴森快捷电路科技股份有限公司|兴森科技|Shenzhen Fastprint Circuit Tech Co., Ltd.|Fastprint|pcb|shenzhen
goworld|广东汕头超声电子股份有限公司|超声电子|Guangdong Goworld Co., Ltd.|Goworld|pcb|shantou
laibao|深圳莱宝高科技股份有限公司|莱宝高科|Shenzhen Laibao Hi-Tech Co., Ltd.||display|shenzhen
holitech|合力泰科技股份有限公司|合力泰|Holitech Technology Co., Ltd.|Holitech|display|putian
ofilm|欧菲光集团股份有限公司|欧菲光|OFILM Group Co., Ltd.|OFILM|optics|shenzhen
crystaloptech|浙江水晶光电科技股份有限公司|水晶光电|Zhejiang Crystal-Optech Co., Ltd.|Crystal-Optech|optics|taizhou
lianchuang|联创电子科技股份有限公司|联创电子|Lianchuang Electronic Technology Co., Ltd.||optics|nanchang
gettop|共达电声股份有限公司|共达电声|Gettop Acoustic Co., Ltd.|Gettop|audio|weifang
edifier|深圳市漫步者科技股份有限公司|漫步者|Edifier Technology Co., Ltd.|Edifier|audio|shenzhen
guoguang|国光电器股份有限公司|国光电器|Guoguang Electric Company Limited||audio|guangzhou
fenda|深圳市奋达科技股份有限公司|奋达科技|Shenzhen Fenda Technology Co., Ltd.||audio|shenzhen
netac|深圳市朗科科技股份有限公司|朗科科技|Shenzhen Netac Technology Co., Ltd.|Netac|peripherals|shenzhen
rapoo|深圳雷柏科技股份有限公司|雷柏科技|Shenzhen Rapoo Technology Co., Ltd.|Rapoo|peripherals|shenzhen
ht|深圳和而泰智能控制股份有限公司|和而泰|Shenzhen H&T Intelligent Control Co., Ltd.|H&T|controls|shenzhen
zhenhua|中国振华（集团）科技股份有限公司|振华科技|China Zhenhua (Group) Science & Technology Co., Ltd.||components|guiyang
spaceappliance|贵州航天电器股份有限公司|航天电器|Guizhou Space Appliance Co., Ltd.|Space Appliance|components|guiyang
jonhon|中航光电科技股份有限公司|中航光电|AVIC Jonhon Optronic Technology Co., Ltd.|Jonhon|components|luoyang
haige|广州海格通信集团股份有限公司|海格通信|Guangzhou Haige Communications Group Incorporated Company||telecom|guangzhou
fiberhome|烽火通信科技股份有限公司|烽火通信|Fiberhome Telecommunication Technologies Co., Ltd.|Fiberhome|telecom|wuhan
accelink|武汉光迅科技股份有限公司|光迅科技|Accelink Technologies Co., Ltd.|Accelink|telecom|wuhan
yofc|长飞光纤光缆股份有限公司|长飞光纤|Yangtze Optical Fibre and Cable Joint Stock Limited Company|YOFC;Yangtze Optical Fibre and Cable|telecom|wuhan
innolight|中际旭创股份有限公司|中际旭创|Zhongji Innolight Co., Ltd.|Zhongji Innolight|telecom|yantai
tfc|苏州天孚光通信股份有限公司|天孚通信|Suzhou TFC Optical Communication Co., Ltd.|TFC|telecom|suzhou
eoptolink|成都新易盛通信技术股份有限公司|新易盛|Eoptolink Technology Inc., Ltd.|Eoptolink|telecom|chengdu
starnet|福建星网锐捷通信股份有限公司|星网锐捷|Fujian Star-net Communication Co., Ltd.|Star-net|telecom|fuzhou
furi|福建福日电子股份有限公司|福日电子|Fujian Furi Electronics Co., Ltd.||components|fuzhou
jcet|江苏长电科技股份有限公司|长电科技|JCET Group Co., Ltd.|JCET|semiconductor|wuxi
yangjie|扬州扬杰电子科技股份有限公司|扬杰科技|Yangzhou Yangjie Electronic Technology Co., Ltd.||semiconductor|yangzhou
jiejie|江苏捷捷微电子股份有限公司|捷捷微电|Jiangsu JieJie Microelectronics Co., Ltd.||semiconductor|nantong
sgmicro|圣邦微电子（北京）股份有限公司|圣邦股份|SG Micro Corp|SG Micro|semiconductor|beijing
goodix|深圳市汇顶科技股份有限公司|汇顶科技|Shenzhen Goodix Technology Co., Ltd.|Goodix|semiconductor|shenzhen
allwinner|珠海全志科技股份有限公司|全志科技|Allwinner Technology Co., Ltd.|Allwinner|semiconductor|zhuhai
rockchip|瑞芯微电子股份有限公司|瑞芯微|Rockchip Electronics Co., Ltd.|Rockchip|semiconductor|fuzhou
espressif|乐鑫信息科技（上海）股份有限公司|乐鑫科技|Espressif Systems (Shanghai) Co., Ltd.|Espressif|semiconductor|shanghai
montage|澜起科技股份有限公司|澜起科技|Montage Technology Co., Ltd.|Montage|semiconductor|shanghai
maxscend|江苏卓胜微电子股份有限公司|卓胜微|Maxscend Microelectronics Company Limited|Maxscend|semiconductor|wuxi
mls|木林森股份有限公司|木林森|MLS Co., Ltd.|MLS|led|zhongshan
unilumin|深圳市洲明科技股份有限公司|洲明科技|Shenzhen Unilumin Group Co., Ltd.|Unilumin|led|shenzhen
leyard|利亚德光电股份有限公司|利亚德|Leyard Optoelectronic Co., Ltd.|Leyard|led|beijing
absen|深圳市艾比森光电股份有限公司|艾比森|Shenzhen Absen Optoelectronic Co., Ltd.|Absen|led|shenzhen
nationstar|佛山市国星光电股份有限公司|国星光电|Foshan Nationstar Optoelectronics Co., Ltd.|Nationstar|led|foshan
jufei|深圳市聚飞光电股份有限公司|聚飞光电|Shenzhen Jufei Optoelectronics Co., Ltd.||led|shenzhen
refond|深圳市瑞丰光电子股份有限公司|瑞丰光电|Shenzhen Refond Optoelectronics Co., Ltd.|Refond|led|shenzhen
hcsemitek|华灿光电股份有限公司|华灿光电|HC SemiTek Corporation|HC SemiTek|led|wuhan
changelight|厦门乾照光电股份有限公司|乾照光电|Xiamen Changelight Co., Ltd.|Changelight|led|xiamen
ledman|深圳雷曼光电科技股份有限公司|雷曼光电|Shenzhen Ledman Optoelectronic Co., Ltd.|Ledman|led|shenzhen
aoto|深圳市奥拓电子股份有限公司|奥拓电子|Shenzhen AOTO Electronics Co., Ltd.|AOTO|led|shenzhen
yankon|浙江阳光照明电器集团股份有限公司|阳光照明|Zhejiang Yankon Group Co., Ltd.|Yankon|led|shaoxing
leedarson|立达信物联科技股份有限公司|立达信|Leedarson IoT Technology Inc.|Leedarson|led|xiamen
pak|广东三雄极光照明股份有限公司|三雄极光|Guangdong PAK Corporation Co., Ltd.|PAK|led|guangzhou
hongli|鸿利智汇集团股份有限公司|鸿利智汇|Hongli Zhihui Group Co., Ltd.||led|guangzhou
kingclean|莱克电气股份有限公司|莱克电气|Kingclean Electric Co., Ltd.|Kingclean|appliance|suzhou
flyco|上海飞科电器股份有限公司|飞科电器|Shanghai Flyco Electrical Appliance Co., Ltd.|Flyco|appliance|shanghai
vatti|华帝股份有限公司|华帝股份|Vatti Corporation Limited|Vatti|kitchen|zhongshan
vanward|广东万和新电气股份有限公司|万和电气|Guangdong Vanward New Electric Co., Ltd.|Vanward|kitchen|foshan
meida|浙江美大实业股份有限公司|美大实业|Zhejiang Meida Industrial Co., Ltd.||kitchen|jiaxing
galanz|广东格兰仕集团有限公司|格兰仕|Guangdong Galanz Group Co., Ltd.|Galanz|appliance|foshan
aux|奥克斯集团有限公司|奥克斯|AUX Group Co., Ltd.|AUX|appliance|ningbo
deye|宁波德业科技股份有限公司|德业股份|Ningbo Deye Technology Co., Ltd.||appliance|ningbo
homa|广东奥马电器股份有限公司|奥马电器|Guangdong Homa Appliances Co., Ltd.|Homa|appliance|zhongshan
aucma|澳柯玛股份有限公司|澳柯玛|Aucma Co., Ltd.|Aucma|appliance|qingdao
highly|上海海立（集团）股份有限公司|海立股份|Shanghai Highly (Group) Co., Ltd.|Highly|appliance|shanghai
huayicomp|长虹华意压缩机股份有限公司|长虹华意|Changhong Huayi Compressor Co., Ltd.||appliance|jingdezhen
marssenger|火星人厨具股份有限公司|火星人|Marssenger Kitchenware Co., Ltd.|Marssenger|kitchen|jiaxing
sanfer|浙江帅丰电器股份有限公司|帅丰电器|Zhejiang Sanfer Electric Co., Ltd.|Sanfer|kitchen|shaoxing
rongtai|上海荣泰健康科技股份有限公司|荣泰健康|Shanghai Rongtai Health Technology Corporation Limited||appliance|shanghai
ecovacs|科沃斯机器人股份有限公司|科沃斯|Ecovacs Robotics Co., Ltd.|Ecovacs|appliance|suzhou
roborock|北京石头世纪科技股份有限公司|石头科技|Beijing Roborock Technology Co., Ltd.|Roborock|appliance|beijing
xgimi|极米科技股份有限公司|极米科技|XGIMI Technology Co., Ltd.|XGIMI|consumer|chengdu
appotronics|深圳光峰科技股份有限公司|光峰科技|Appotronics Corporation Limited|Appotronics|consumer|shenzhen
anker|安克创新科技股份有限公司|安克创新|Anker Innovations Technology Co., Ltd.|Anker|consumer|changsha
ugreen|深圳市绿联科技股份有限公司|绿联科技|Ugreen Group Limited|Ugreen|consumer|shenzhen
aishida|爱仕达股份有限公司|爱仕达|Aishida Co., Ltd.||kitchen|taizhou
haers|浙江哈尔斯真空器皿股份有限公司|哈尔斯|Zhejiang Haers Vacuum Containers Co., Ltd.|Haers|kitchen|jinhua
greatstar|杭州巨星科技股份有限公司|巨星科技|Hangzhou Great Star Industrial Co., Ltd.|Great Star|tools|hangzhou
greenworks|格力博（江苏）股份有限公司|格力博|Greenworks (Jiangsu) Co., Ltd.|Greenworks|tools|changzhou
techtronic|创科实业有限公司|创科实业|Techtronic Industries Company Limited|Techtronic;TTI|tools|hongkong
positec|宝时得科技（中国）有限公司|宝时得|Positec Technology (China) Co., Ltd.|Positec|tools|suzhou
ken|锐奇控股股份有限公司|锐奇股份|KEN Holding Co., Ltd.|KEN|tools|shanghai
weida|山东威达机械股份有限公司|山东威达|Shandong Weida Machinery Co., Ltd.||tools|weihai
chervon|泉峰控股有限公司|泉峰控股|Chervon Holdings Limited|Chervon|tools|nanjing
zhongjian|浙江中坚科技股份有限公司|中坚科技|Zhejiang Zhongjian Technology Co., Ltd.||tools|jinhua
daye|宁波大叶园林设备股份有限公司|大叶股份|Ningbo Daye Garden Machinery Co., Ltd.||tools|ningbo
yotrio|浙江永强集团股份有限公司|浙江永强|Zhejiang Yotrio Group Co., Ltd.|Yotrio|furniture|taizhou
henglin|浙江恒林椅业股份有限公司|恒林股份|Zhejiang Henglin Chair Industry Co., Ltd.||furniture|huzhou
xilinmen|喜临门家具股份有限公司|喜临门|Xilinmen Furniture Co., Ltd.||furniture|shaoxing
qumei|曲美家居集团股份有限公司|曲美家居|Qumei Home Furnishings Group Co., Ltd.||furniture|beijing
suofeiya|索菲亚家居股份有限公司|索菲亚|Suofeiya Home Collection Co., Ltd.||furniture|guangzhou
shangpin|广州尚品宅配家居股份有限公司|尚品宅配|Guangzhou Shangpin Home Collection Co., Ltd.||furniture|guangzhou
holike|广州好莱客创意家居股份有限公司|好莱客|Guangzhou Holike Creative Home Co., Ltd.|Holike|furniture|guangzhou
zbom|志邦家居股份有限公司|志邦家居|Zbom Home Collection Co., Ltd.|Zbom|furniture|hefei
goldenhome|厦门金牌厨柜股份有限公司|金牌厨柜|Xiamen Goldenhome Co., Ltd.|Goldenhome|furniture|xiamen
markor|美克国际家居用品股份有限公司|美克家居|Markor International Home Furnishings Co., Ltd.|Markor|furniture|urumqi
powerdekor|大亚圣象家居股份有限公司|大亚圣象|Power Dekor Group Co., Ltd.|Power Dekor|furniture|zhenjiang
oupaidoor|江山欧派门业股份有限公司|江山欧派|Jiangshan Oupai Door Industry Co., Ltd.||furniture|quzhou
keeson|麒盛科技股份有限公司|麒盛科技|Keeson Technology Corporation Limited|Keeson|furniture|jiaxing
loctek|乐歌人体工学科技股份有限公司|乐歌股份|Loctek Ergonomic Technology Corp.|Loctek|furniture|ningbo
manwah|敏华控股有限公司|敏华控股|Man Wah Holdings Limited|Man Wah|furniture|hongkong
derucci|慕思健康睡眠股份有限公司|慕思股份|De Rucci Healthy Sleep Co., Ltd.|De Rucci|furniture|dongguan
piano|广东皮阿诺科学艺术家居股份有限公司|皮阿诺|Guangdong Piano Customized Furniture Co., Ltd.|Piano|furniture|zhongshan
alpha|奥飞娱乐股份有限公司|奥飞娱乐|Alpha Group|Alpha|toys|shantou
rastar|星辉互动娱乐股份有限公司|星辉娱乐|Rastar Group|Rastar|toys|shantou
bangbao|广东邦宝益智玩具股份有限公司|邦宝益智|Guangdong Bangbao Education Toys Co., Ltd.||toys|shantou
qunxing|广东群兴玩具股份有限公司|群兴玩具|Guangdong Qunxing Toys Joint-Stock Co., Ltd.||toys|shantou
shifeng|实丰文化发展股份有限公司|实丰文化|Shifeng Cultural Development Co., Ltd.||toys|shantou
popmart|泡泡玛特国际集团有限公司|泡泡玛特|Pop Mart International Group Limited|Pop Mart|toys|beijing
huafang|华纺股份有限公司|华纺股份|Huafang Co., Ltd.||textile|binzhou
sunvim|孚日集团股份有限公司|孚日股份|Sunvim Group Co., Ltd.|Sunvim|textile|weifang
weiqiao|魏桥纺织股份有限公司|魏桥纺织|Weiqiao Textile Company Limited||textile|binzhou
broseastern|百隆东方股份有限公司|百隆东方|Bros Eastern Co., Ltd.|Bros Eastern|textile|ningbo
hangmin|浙江航民股份有限公司|航民股份|Zhejiang Hangmin Co., Ltd.||textile|hangzhou
lianfa|江苏联发纺织股份有限公司|联发股份|Jiangsu Lianfa Textile Co., Ltd.||textile|nantong
huamao|安徽华茂纺织股份有限公司|华茂股份|Anhui Huamao Textile Co., Ltd.||textile|anqing
xinye|河南新野纺织股份有限公司|新野纺织|Henan Xinye Textile Co., Ltd.||textile|nanyang
jiaxinsilk|浙江嘉欣丝绸股份有限公司|嘉欣丝绸|Zhejiang Jiaxin Silk Corp., Ltd.||textile|jiaxing
fuanna|深圳市富安娜家居用品股份有限公司|富安娜|Shenzhen Fuanna Bedding and Furnishing Co., Ltd.||hometextile|shenzhen
luolai|罗莱生活科技股份有限公司|罗莱生活|Luolai Lifestyle Technology Co., Ltd.||hometextile|nantong
mendale|湖南梦洁家纺股份有限公司|梦洁股份|Hunan Mendale Hometextile Co., Ltd.|Mendale|hometextile|changsha
shuixing|上海水星家用纺织品股份有限公司|水星家纺|Shanghai Shuixing Home Textile Co., Ltd.||hometextile|shanghai
sunshinewool|江苏阳光股份有限公司|江苏阳光|Jiangsu Sunshine Co., Ltd.|Sunshine|textile|wuxi
peacebird|宁波太平鸟时尚服饰股份有限公司|太平鸟|Ningbo Peacebird Fashion Co., Ltd.|Peacebird|apparel|ningbo
septwolves|福建七匹狼实业股份有限公司|七匹狼|Fujian Septwolves Industry Co., Ltd.|Septwolves|apparel|quanzhou
joeone|九牧王股份有限公司|九牧王|Joeone Co., Ltd.|Joeone|apparel|xiamen
baoxiniao|报喜鸟控股股份有限公司|报喜鸟|Baoxiniao Holding Co., Ltd.||apparel|wenzhou
metersbonwe|上海美特斯邦威服饰股份有限公司|美邦服饰|Shanghai Metersbonwe Fashion and Accessories Co., Ltd.|Metersbonwe|apparel|shanghai
lancy|朗姿股份有限公司|朗姿股份|Lancy Co., Ltd.|Lancy|apparel|beijing
toread|探路者控股集团股份有限公司|探路者|Toread Holdings Group Co., Ltd.|Toread|apparel|beijing
xtep|特步国际控股有限公司|特步国际|Xtep International Holdings Limited|Xtep|apparel|quanzhou
guirenniao|贵人鸟股份有限公司|贵人鸟|Guirenniao Co., Ltd.||apparel|quanzhou
huali|中山华利实业集团股份有限公司|华利集团|Huali Industrial Group Company Limited||apparel|zhongshan
weixingind|浙江伟星实业发展股份有限公司|伟星股份|Zhejiang Weixing Industrial Development Co., Ltd.||accessories|taizhou
sbs|福建浔兴拉链科技股份有限公司|浔兴股份|Fujian SBS Zipper Science & Technology Co., Ltd.|SBS|accessories|quanzhou
triangle|三角轮胎股份有限公司|三角轮胎|Triangle Tyre Co., Ltd.|Triangle|tyre|weihai
sentury|青岛森麒麟轮胎股份有限公司|森麒麟|Qingdao Sentury Tire Co., Ltd.|Sentury|tyre|qingdao
guizhoutyre|贵州轮胎股份有限公司|贵州轮胎|Guizhou Tyre Co., Ltd.||tyre|guiyang
aeolus|风神轮胎股份有限公司|风神股份|Aeolus Tyre Co., Ltd.|Aeolus|tyre|jiaozuo
tuopu|宁波拓普集团股份有限公司|拓普集团|Ningbo Tuopu Group Co., Ltd.||autoparts|ningbo
huaxiangnb|宁波华翔电子股份有限公司|宁波华翔|Ningbo Huaxiang Electronic Co., Ltd.||autoparts|ningbo
joyson|宁波均胜电子股份有限公司|均胜电子|Ningbo Joyson Electronic Corp.|Joyson|autoparts|ningbo
jifeng|宁波继峰汽车零部件股份有限公司|继峰股份|Ningbo Jifeng Auto Parts Co., Ltd.||autoparts|ningbo
xusheng|宁波旭升汽车技术股份有限公司|旭升股份|Ningbo Xusheng Auto Technology Co., Ltd.||autoparts|ningbo
shenglong|宁波圣龙汽车动力系统股份有限公司|圣龙股份|Ningbo Shenglong Automotive Powertrain System Co., Ltd.||autoparts|ningbo
gaofa|宁波高发汽车控制系统股份有限公司|宁波高发|Ningbo Gaofa Automotive Control System Co., Ltd.||autoparts|ningbo
xingyu|常州星宇车灯股份有限公司|星宇股份|Changzhou Xingyu Automotive Lighting Systems Co., Ltd.||autoparts|changzhou
yuchai|广西玉柴机器股份有限公司|玉柴股份|Guangxi Yuchai Machinery Company Limited||engines|yulin
yinlun|浙江银轮机械股份有限公司|银轮股份|Zhejiang Yinlun Machinery Co., Ltd.||autoparts|taizhou
wanliyang|浙江万里扬股份有限公司|万里扬|Zhejiang Wanliyang Co., Ltd.||autoparts|jinhua
zhongding|安徽中鼎密封件股份有限公司|中鼎股份|Anhui Zhongding Sealing Parts Co., Ltd.||autoparts|xuancheng
baolong|上海保隆汽车科技股份有限公司|保隆科技|Shanghai Baolong Automotive Corporation||autoparts|shanghai
lingyun|凌云工业股份有限公司|凌云股份|Lingyun Industrial Corporation Limited||autoparts|baoding
weifu|无锡威孚高科技集团股份有限公司|威孚高科|Weifu High-Technology Group Co., Ltd.||autoparts|wuxi
pacificforging|江苏太平洋精锻科技股份有限公司|精锻科技|Jiangsu Pacific Precision Forging Co., Ltd.|Pacific Precision Forging|autoparts|taizhou
shuanghuandrive|浙江双环传动机械股份有限公司|双环传动|Zhejiang Shuanghuan Driveline Co., Ltd.||autoparts|taizhou
tianrun|天润工业技术股份有限公司|天润工业|Tianrun Industry Technology Co., Ltd.||autoparts|weihai
yunyi|江苏云意电气股份有限公司|云意电气|Jiangsu Yunyi Electric Co., Ltd.||autoparts|xuzhou
jingu|浙江金固股份有限公司|金固股份|Zhejiang Jingu Co., Ltd.||autoparts|hangzhou
jinfei|浙江今飞凯达轮毂股份有限公司|今飞凯达|Zhejiang Jinfei Kaida Wheel Co., Ltd.||autoparts|jinhua
wanfeng|浙江万丰奥威汽轮股份有限公司|万丰奥威|Zhejiang Wanfeng Auto Wheel Co., Ltd.||autoparts|shaoxing
qianchao|万向钱潮股份有限公司|万向钱潮|Wanxiang Qianchao Co., Ltd.||autoparts|hangzhou
shibao|浙江世宝股份有限公司|浙江世宝|Zhejiang Shibao Company Limited||autoparts|jinhua
asiapacific|浙江亚太机电股份有限公司|亚太股份|Zhejiang Asia-Pacific Mechanical & Electronic Co., Ltd.|Asia-Pacific|autoparts|hangzhou
huaxiangsx|山西华翔集团股份有限公司|华翔股份|Shanxi Huaxiang Group Co., Ltd.||castings|linfen
jack|杰克科技股份有限公司|杰克股份|Jack Technology Co., Ltd.|Jack|machinery|taizhou
haitianintl|海天国际控股有限公司|海天国际|Haitian International Holdings Limited||machinery|ningbo
haitianprec|宁波海天精工股份有限公司|海天精工|Ningbo Haitian Precision Machinery Co., Ltd.||machinery|ningbo
yizumi|广东伊之密精密机械股份有限公司|伊之密|Guangdong Yizumi Precision Machinery Co., Ltd.|Yizumi|machinery|foshan
eddie|烟台艾迪精密机械股份有限公司|艾迪精密|Yantai Eddie Precision Machinery Co., Ltd.|Eddie|machinery|yantai
step|上海新时达电气股份有限公司|新时达|Shanghai STEP Electric Corporation|STEP|automation|shanghai
neway|苏州纽威阀门股份有限公司|纽威股份|Neway Valve (Suzhou) Co., Ltd.|Neway|pumps|suzhou
leo|利欧集团股份有限公司|利欧股份|Leo Group Co., Ltd.|Leo|pumps|taizhou
dayuan|浙江大元泵业股份有限公司|大元泵业|Zhejiang Dayuan Pumps Industry Co., Ltd.||pumps|taizhou
junhe|君禾泵业股份有限公司|君禾股份|Junhe Pumps Holding Co., Ltd.||pumps|ningbo
rifa|浙江日发精密机械股份有限公司|日发精机|Zhejiang Rifa Precision Machinery Co., Ltd.||machinery|shaoxing
shantui|山推工程机械股份有限公司|山推股份|Shantui Construction Machinery Co., Ltd.||construction|jining
xgma|厦门厦工机械股份有限公司|厦工股份|Xiamen XGMA Machinery Co., Ltd.|XGMA|construction|xiamen
lonking|中国龙工控股有限公司|中国龙工|Lonking Holdings Limited|Lonking|construction|shanghai
noblelift|诺力智能装备股份有限公司|诺力股份|Noblelift Intelligent Equipment Co., Ltd.|Noblelift|construction|huzhou
firsttractor|第一拖拉机股份有限公司|一拖股份|First Tractor Company Limited|First Tractor|construction|luoyang
tongyu|通裕重工股份有限公司|通裕重工|Tongyu Heavy Industry Co., Ltd.||wind|dezhou
tiannenghi|青岛天能重工股份有限公司|天能重工|Qingdao Tianneng Heavy Industries Co., Ltd.||wind|qingdao
taisheng|上海泰胜风能装备股份有限公司|泰胜风能|Shanghai Taisheng Wind Power Equipment Co., Ltd.||wind|shanghai
dajin|大金重工股份有限公司|大金重工|Dajin Heavy Industry Co., Ltd.||wind|fuxin
jinlei|金雷科技股份公司|金雷股份|Jinlei Technology Co., Ltd.||wind|jinan
riyue|日月重工股份有限公司|日月股份|Riyue Heavy Industry Co., Ltd.||wind|ningbo
seagullct|江苏海鸥冷却塔股份有限公司|海鸥股份|Jiangsu Seagull Cooling Tower Co., Ltd.|Seagull|machinery|changzhou
risen|东方日升新能源股份有限公司|东方日升|Risen Energy Co., Ltd.|Risen|solar|ningbo
aiko|上海爱旭新能源股份有限公司|爱旭股份|Shanghai Aiko Solar Energy Co., Ltd.|Aiko|solar|shanghai
flat|福莱特玻璃集团股份有限公司|福莱特|Flat Glass Group Co., Ltd.|Flat|solar|jiaxing
xinyisolar|信义光能控股有限公司|信义光能|Xinyi Solar Holdings Limited||solar|hongkong
xinyiglass|信义玻璃控股有限公司|信义玻璃|Xinyi Glass Holdings Limited||glass|hongkong
eging|亿晶光电科技股份有限公司|亿晶光电|EGing Photovoltaic Technology Co., Ltd.|EGing|solar|changzhou
jolywood|苏州中来光伏新材股份有限公司|中来股份|Jolywood (Suzhou) Sunwatt Co., Ltd.|Jolywood|solar|suzhou
first|杭州福斯特应用材料股份有限公司|福斯特|Hangzhou First Applied Material Co., Ltd.|First Applied Material|solar|hangzhou
gcl|协鑫集成科技股份有限公司|协鑫集成|GCL System Integration Technology Co., Ltd.|GCL|solar|suzhou
daqo|新疆大全新能源股份有限公司|大全能源|Xinjiang Daqo New Energy Co., Ltd.|Daqo|solar|shihezi
ginlong|锦浪科技股份有限公司|锦浪科技|Ginlong Technologies Co., Ltd.|Ginlong|inverter|ningbo
goodwe|固德威技术股份有限公司|固德威|GoodWe Technologies Co., Ltd.|GoodWe|inverter|suzhou
sineng|上能电气股份有限公司|上能电气|Sineng Electric Co., Ltd.|Sineng|inverter|wuxi
kstar|深圳科士达科技股份有限公司|科士达|Shenzhen Kstar Science & Technology Co., Ltd.|Kstar|inverter|shenzhen
east|易事特集团股份有限公司|易事特|East Group Co., Ltd.|East|inverter|dongguan
kehuadata|科华数据股份有限公司|科华数据|Kehua Data Co., Ltd.||inverter|xiamen
kehuabio|上海科华生物工程股份有限公司|科华生物|Shanghai Kehua Bio-Engineering Co., Ltd.||diagnostics|shanghai
narada|浙江南都电源动力股份有限公司|南都电源|Zhejiang Narada Power Source Co., Ltd.|Narada|battery|hangzhou
camel|骆驼集团股份有限公司|骆驼股份|Camel Group Co., Ltd.|Camel|battery|xiangyang
tianneng|天能动力国际有限公司|天能动力|Tianneng Power International Limited||battery|huzhou
chaowei|超威动力控股有限公司|超威动力|Chaowei Power Holdings Limited||battery|huzhou
greatpower|广州鹏辉能源科技股份有限公司|鹏辉能源|Guangzhou Great Power Energy & Technology Co., Ltd.|Great Power|battery|guangzhou
cosmx|珠海冠宇电池股份有限公司|珠海冠宇|Zhuhai CosMX Battery Co., Ltd.|CosMX|battery|zhuhai
dynanonic|深圳市德方纳米科技股份有限公司|德方纳米|Shenzhen Dynanonic Co., Ltd.|Dynanonic|battery|shenzhen
senior|深圳市星源材质科技股份有限公司|星源材质|Shenzhen Senior Technology Material Co., Ltd.|Senior|battery|shenzhen
shanshan|宁波杉杉股份有限公司|杉杉股份|Ningbo Shanshan Co., Ltd.||battery|ningbo
putailai|上海璞泰来新能源科技股份有限公司|璞泰来|Shanghai Putailai New Energy Technology Co., Ltd.||battery|shanghai
easpring|北京当升材料科技股份有限公司|当升科技|Beijing Easpring Material Technology Co., Ltd.|Easpring|battery|beijing
ronbay|宁波容百新能源科技股份有限公司|容百科技|Ningbo Ronbay New Energy Technology Co., Ltd.|Ronbay|battery|ningbo
pylon|上海派能能源科技股份有限公司|派能科技|Pylon Technologies Co., Ltd.|Pylon|battery|shanghai
orientcable|宁波东方电缆股份有限公司|东方电缆|Ningbo Orient Wires & Cables Co., Ltd.|Orient Wires & Cables|cable|ningbo
fareast|远东智慧能源股份有限公司|智慧能源|Far East Smarter Energy Co., Ltd.|Far East|cable|wuxi
lb|龙佰集团股份有限公司|龙佰集团|LB Group Co., Ltd.|LB|chemical|jiaozuo
satellite|卫星化学股份有限公司|卫星化学|Satellite Chemical Co., Ltd.|Satellite|chemical|jiaxing
lier|利尔化学股份有限公司|利尔化学|Lier Chemical Co., Ltd.||agrochemical|mianyang
xingfa|湖北兴发化工集团股份有限公司|兴发集团|Hubei Xingfa Chemicals Group Co., Ltd.||chemical|yichang
huafon|华峰化学股份有限公司|华峰化学|Huafon Chemical Co., Ltd.|Huafon|chemical|wenzhou
huafengtc|北京华峰测控技术股份有限公司|华峰测控|Beijing Huafeng Test & Control Technology Co., Ltd.||semiconductor|beijing
runtu|浙江闰土股份有限公司|闰土股份|Zhejiang Runtu Co., Ltd.||chemical|shaoxing
transfar|传化智联股份有限公司|传化智联|Transfar Zhilian Co., Ltd.|Transfar|chemical|hangzhou
lianhe|联化科技股份有限公司|联化科技|Lianhe Chemical Technology Co., Ltd.||agrochemical|taizhou
jiangshan|南通江山农药化工股份有限公司|江山股份|Nantong Jiangshan Agrochemical & Chemicals Co., Ltd.||agrochemical|nantong
yoke|江苏雅克科技股份有限公司|雅克科技|Jiangsu Yoke Technology Co., Ltd.|Yoke|chemical|wuxi
dymatic|广东德美精细化工集团股份有限公司|德美化工|Guangdong Dymatic Chemicals, Inc.|Dymatic|chemical|foshan
huitian|湖北回天新材料股份有限公司|回天新材|Hubei Huitian New Materials Co., Ltd.||chemical|xiangyang
guibao|成都硅宝科技股份有限公司|硅宝科技|Chengdu Guibao Science & Technology Co., Ltd.||chemical|chengdu
capchem|深圳新宙邦科技股份有限公司|新宙邦|Shenzhen Capchem Technology Co., Ltd.|Capchem|chemical|shenzhen
dofluoride|多氟多新材料股份有限公司|多氟多|Do-Fluoride New Materials Co., Ltd.|Do-Fluoride|chemical|jiaozuo
tinci|广州天赐高新材料股份有限公司|天赐材料|Guangzhou Tinci Materials Technology Co., Ltd.|Tinci|chemical|guangzhou
jinhe|安徽金禾实业股份有限公司|金禾实业|Anhui Jinhe Industrial Co., Ltd.||chemical|chuzhou
befar|滨化集团股份有限公司|滨化股份|Befar Group Co., Ltd.|Befar|chemical|binzhou
dongyue|东岳集团有限公司|东岳集团|Dongyue Group Limited||chemical|zibo
redsun|南京红太阳股份有限公司|红太阳|Nanjing Red Sun Co., Ltd.|Red Sun|agrochemical|nanjing
noposion|深圳诺普信农化股份有限公司|诺普信|Shenzhen Noposion Agrochemicals Co., Ltd.|Noposion|agrochemical|shenzhen
shuanghuanchem|湖北双环科技股份有限公司|双环科技|Hubei Shuanghuan Science and Technology Stock Co., Ltd.||chemical|xiaogan
intco|英科医疗科技股份有限公司|英科医疗|Intco Medical Technology Co., Ltd.|Intco|medical|zibo
bluesail|蓝帆医疗股份有限公司|蓝帆医疗|Blue Sail Medical Co., Ltd.|Blue Sail|medical|zibo
zhende|振德医疗用品股份有限公司|振德医疗|Zhende Medical Co., Ltd.||medical|shaoxing
winner|稳健医疗用品股份有限公司|稳健医疗|Winner Medical Co., Ltd.|Winner|medical|shenzhen
allmed|奥美医疗用品股份有限公司|奥美医疗|Allmed Medical Products Co., Ltd.|Allmed|medical|yichang
andon|天津九安医疗电子股份有限公司|九安医疗|Tianjin Andon Health Co., Ltd.|Andon|medical|tianjin
edan|深圳市理邦精密仪器股份有限公司|理邦仪器|Edan Instruments, Inc.|Edan|medical|shenzhen
biolight|广东宝莱特医用科技股份有限公司|宝莱特|Guangdong Biolight Meditech Co., Ltd.|Biolight|medical|zhuhai
sanxinmed|江西三鑫医疗科技股份有限公司|三鑫医疗|Jiangxi Sanxin Medtec Co., Ltd.||medical|nanchang
kindly|上海康德莱企业发展集团股份有限公司|康德莱|Shanghai Kindly Enterprise Development Group Co., Ltd.|Kindly|medical|shanghai
welllead|广州维力医疗器械股份有限公司|维力医疗|Guangzhou Well Lead Medical Co., Ltd.|Well Lead|medical|guangzhou
transtek|广东乐心医疗电子股份有限公司|乐心医疗|Guangdong Transtek Medical Electronics Co., Ltd.|Transtek|medical|zhongshan
wondfo|广州万孚生物技术股份有限公司|万孚生物|Guangzhou Wondfo Biotech Co., Ltd.|Wondfo|diagnostics|guangzhou
autobio|郑州安图生物工程股份有限公司|安图生物|Autobio Diagnostics Co., Ltd.|Autobio|diagnostics|zhengzhou
monalisa|蒙娜丽莎集团股份有限公司|蒙娜丽莎|Monalisa Group Co., Ltd.|Monalisa|sanitary|foshan
huida|惠达卫浴股份有限公司|惠达卫浴|Huida Sanitary Ware Co., Ltd.||sanitary|tangshan
arrow|箭牌家居集团股份有限公司|箭牌家居|Arrow Home Group Co., Ltd.|Arrow|sanitary|foshan
dongpeng|广东东鹏控股股份有限公司|东鹏控股|Guangdong Dongpeng Holdings Co., Ltd.||sanitary|foshan
kinlong|广东坚朗五金制品股份有限公司|坚朗五金|Guangdong Kinlong Hardware Products Co., Ltd.|Kinlong|hardware|dongguan
seagullkb|广州海鸥住宅工业股份有限公司|海鸥住工|Guangzhou Seagull Kitchen and Bath Products Co., Ltd.|Seagull|sanitary|guangzhou
rt|厦门瑞尔特卫浴科技股份有限公司|瑞尔特|Xiamen R&T Plumbing Technology Co., Ltd.|R&T|sanitary|xiamen
aofeidata|广东奥飞数据科技股份有限公司|奥飞数据|Guangdong Aofei Data Technology Co., Ltd.||datacentre|guangzhou
yatai|浙江亚太药业股份有限公司|亚太药业|Zhejiang Yatai Pharmaceutical Co., Ltd.||pharma|shaoxing
tianrundairy|新疆天润乳业股份有限公司|天润乳业|Xinjiang Tianrun Dairy Co., Ltd.||dairy|urumqi
sanxingmed|宁波三星医疗电气股份有限公司|三星医疗|Ningbo Sanxing Medical Electric Co., Ltd.||meters|ningbo
sanxingnm|浙江三星新材股份有限公司|三星新材|Zhejiang Sanxing New Materials Co., Ltd.||glass|huzhou
yunsheng|宁波韵升股份有限公司|宁波韵升|Ningbo Yunsheng Co., Ltd.||magnets|ningbo
boway|宁波博威合金材料股份有限公司|博威合金|Ningbo Boway Alloy Material Co., Ltd.|Boway|metals|ningbo
exciton|宁波激智科技股份有限公司|激智科技|Ningbo Exciton Technology Co., Ltd.|Exciton|display|ningbo
jintian|宁波金田铜业（集团）股份有限公司|金田股份|Ningbo Jintian Copper (Group) Co., Ltd.||metals|ningbo
techmation|宁波弘讯科技股份有限公司|弘讯科技|Ningbo Techmation Co., Ltd.|Techmation|automation|ningbo
konfoong|宁波江丰电子材料股份有限公司|江丰电子|Konfoong Materials International Co., Ltd.|Konfoong|semiconductor|ningbo
hailiang|浙江海亮股份有限公司|海亮股份|Zhejiang Hailiang Co., Ltd.||metals|shaoxing
dunan|浙江盾安人工环境股份有限公司|盾安环境|Zhejiang DunAn Artificial Environment Co., Ltd.||appliance|shaoxing
dali|浙江大立科技股份有限公司|大立科技|Zhejiang Dali Technology Co., Ltd.||optics|hangzhou
lehui|宁波乐惠国际工程装备股份有限公司|乐惠国际|Ningbo Lehui International Engineering Equipment Co., Ltd.||machinery|ningbo
"""

# The same trade name in another business: different companies.
SAME_TRADE_OTHER_BUSINESS = [
    ("tianneng", "tiannenghi"), ("desaybat", "desaysv"), ("shuanghuanchem", "shuanghuandrive"),
    ("tianrun", "tianrundairy"), ("sanxingmed", "sanxingnm"), ("huafon", "huafengtc"),
    ("xinyisolar", "xinyiglass"), ("huaxiangnb", "huaxiangsx"), ("asiapacific", "yatai"),
    ("haitianintl", "haitianprec"), ("kehuadata", "kehuabio"), ("alpha", "aofeidata"),
    ("seagullkb", "seagullct")]


def load():
    cos = {}
    for line in COMPANIES.strip().splitlines():
        key, zh, short, en, alias, group, city = line.split("|")
        assert key not in cos, key
        cos[key] = dict(key=key, zh=zh, short=short, en=en, alias=alias, group=group, city=city)
    return cos


def check_held_out(cos):
    """No company of the tuning list (make_company_pairs.py) is here: no registered Chinese
    name, short name or English name in common."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_company_pairs as tuning
    seen = set()
    for line in tuning.COMPANIES.strip().splitlines():
        _, zh, short, en, _, _, _ = line.split("|")
        seen.update(x for x in (zh, short, en.lower()) if x)
    clash = [c["key"] for c in cos.values()
             if c["zh"] in seen or (c["short"] and c["short"] in seen) or c["en"].lower() in seen]
    assert not clash, ("already in the tuning set", clash)


def main():
    cos = load()
    check_held_out(cos)
    rng = random.Random(20261202)
    rows = []
    for c in cos.values():
        kinds = [("zh-en", c["zh"])] + ([("zh-en-short", c["short"])] if c["short"] else [])
        for cat, b in kinds:
            if c["alias"]:
                rows.append(("name", 1, cat.replace("zh-en", "zh-en-alias", 1), c["en"], b,
                             c["alias"]))
            else:
                rows.append(("name", 1, cat, c["en"], b))

    def neg(cat, a, b):
        """a's English name as a record writes it, against b as the portfolio holds it (its
        Chinese name, with its alias if it has one), and the two English names."""
        if b["alias"]:
            rows.append(("name", 0, f"negative-zh-en-{cat}-alias", a["en"], b["zh"], b["alias"]))
        else:
            rows.append(("name", 0, f"negative-zh-en-{cat}", a["en"], b["zh"]))

    same_city, same_industry = [], []
    groups = {}
    for c in cos.values():
        groups.setdefault(c["group"], []).append(c)
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            (same_city if a["city"] == b["city"] else same_industry).append((a, b))
    for a, b in same_city:
        neg("same-city-industry", a, b)
        neg("same-city-industry", b, a)
        rows.append(("name", 0, "negative-en-same-city-industry", a["en"], b["en"]))
    rng.shuffle(same_industry)
    for a, b in same_industry[:120]:
        neg("same-industry", a, b)
    for ka, kb in SAME_TRADE_OTHER_BUSINESS:
        a, b = cos[ka], cos[kb]
        neg("same-trade-other-business", a, b)
        neg("same-trade-other-business", b, a)
        rows.append(("name", 0, "negative-en-same-trade-other-business", a["en"], b["en"]))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "company-names-heldout.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# kind\tlabel\tcategory\ta\tb[\taliases] — HELD-OUT real Chinese company names, "
                "made by tests/data/make_company_heldout.py\n"
                "# Written 2026-12-02 from public knowledge (exchange listings, annual reports); "
                "not used to tune the matcher: committed before its first run;\n"
                "# no company here is among the 354 of make_company_pairs.py (checked by the "
                "script). Provenance and kinds of pair: the script's docstring.\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    pos = sum(r[1] for r in rows)
    print(len(rows), "pairs,", pos, "same company,", len(rows) - pos, "negatives,", len(cos),
          "companies,", sum(1 for c in cos.values() if c["alias"]), "with a translated trade name")


if __name__ == "__main__":
    main()
