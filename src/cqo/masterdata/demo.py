"""Demo master data: what the Chongqing motorcycle-parts maker of the organisation demo buys,
makes, measures and ships (§6 e), §7.2.2.1).

About 200 items (materials, bought and made parts, engine assemblies and motorcycles) with
their characteristics (measured ones with nominal and limits in mm, HRC, µm, N·m, MPa…, counted
ones with their defect class CR/MA/MI, the special ones marked ★), 30 suppliers with valid
unified social credit codes (one conditional, one suspended, the rest qualified) and the
approved-supplier list, 10 customers, the work centres of the casting, machining, heat-treatment,
painting and assembly lines, the routings of the parts made in-house, and about 60 measuring
instruments. Everything goes through ``cqo.masterdata.services`` with a real actor (a quality
engineer keeps the items, the metrology officer the instruments, the CQO approves the
suppliers a quality engineer proposed), so the audit chain tells how the master data came to be.

What later builders read from ``ctx.objects``:

==================================  =============================================================
key                                 value
==================================  =============================================================
``masterdata.items``                part number → ``Item``
``masterdata.item_info``            part number → ``ItemInfo`` (family, sourcing, gates, line)
``masterdata.characteristics``      part number → list of ``Characteristic`` in sequence
``masterdata.suppliers``            supplier code → ``Supplier``
``masterdata.asl``                  part number → suppliers on its approved list (qualified and
                                    conditional first, the suspended one last)
``masterdata.customers``            customer code → ``Customer``
``masterdata.work_centres``         work-centre code → ``WorkCentre``
``masterdata.operations``           part number → list of ``Operation`` (made items only)
``masterdata.instruments``          instrument type → list of ``Instrument``
``masterdata.supplier.conditional`` the conditionally approved supplier
``masterdata.supplier.suspended``   the suspended supplier (its receipts are refused)
==================================  =============================================================
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cqo.core.demo import DemoContext
from cqo.organisation.validators import credit_code_complete

from . import services as S
from .models import CharacteristicKind, DefectClass, GateBehaviour, Item, ItemKind

CR, MA, MI = DefectClass.CR, DefectClass.MA, DefectClass.MI

# --- measuring instruments ------------------------------------------------------------------
# type, English name, unit, range low, range high, resolution, how many, location
INSTRUMENT_TYPES: list[tuple[str, str, str, str, str, str, int, str]] = [
    ("游标卡尺", "Vernier caliper", "mm", "0", "150", "0.02", 6, "来料检验室"),
    ("数显卡尺", "Digital caliper", "mm", "0", "200", "0.01", 6, "机加工车间"),
    ("外径千分尺", "Outside micrometer", "mm", "25", "50", "0.001", 6, "机加工车间"),
    ("内径量表", "Bore gauge", "mm", "18", "100", "0.001", 4, "机加工车间"),
    ("三坐标测量机", "Coordinate measuring machine", "mm", "0", "700", "0.0001", 2, "计量室"),
    ("百分表", "Dial indicator", "mm", "0", "10", "0.01", 4, "机加工车间"),
    ("高度仪", "Height gauge", "mm", "0", "600", "0.001", 2, "计量室"),
    ("洛氏硬度计", "Rockwell hardness tester", "HRC", "20", "70", "0.1", 3, "热处理车间"),
    ("布氏硬度计", "Brinell hardness tester", "HBW", "8", "650", "1", 2, "来料检验室"),
    ("邵氏硬度计", "Shore durometer", "Shore A", "0", "100", "1", 2, "来料检验室"),
    ("表面粗糙度仪", "Surface roughness tester", "µm", "0", "40", "0.001", 3, "计量室"),
    ("圆度仪", "Roundness tester", "mm", "0", "1", "0.0001", 1, "计量室"),
    ("扭矩扳手", "Torque wrench", "N·m", "5", "120", "0.1", 6, "装配车间"),
    ("直读光谱仪", "Optical emission spectrometer", "%", "0", "100", "0.001", 1, "理化室"),
    ("万能材料试验机", "Universal testing machine", "MPa", "0", "2000", "1", 1, "理化室"),
    ("弹簧试验机", "Spring tester", "N", "0", "2000", "0.1", 2, "来料检验室"),
    ("电子天平", "Electronic balance", "g", "0", "3000", "0.01", 3, "来料检验室"),
    ("涂层测厚仪", "Coating thickness gauge", "µm", "0", "1500", "0.1", 2, "涂装车间"),
    ("动平衡机", "Balancing machine", "g·mm", "0", "500", "0.1", 1, "装配车间"),
    ("测功机", "Engine dynamometer", "kW", "0", "60", "0.01", 2, "装配车间"),
    ("涂-4 黏度杯", "Ford-4 viscosity cup", "s", "10", "150", "0.1", 1, "涂装车间"),
    ("机油泵试验台", "Oil pump test bench", "L/min", "0", "20", "0.01", 1, "装配车间"),
    ("燃烧室容积测量仪", "Combustion chamber volume tester", "ml", "0", "50", "0.01", 1, "计量室"),
]

# --- characteristics ------------------------------------------------------------------------
# A variable: ("v", code, name, English name, nominal, lsl, usl, unit, class, instrument type,
#              special, scales with the engine size)
# An attribute: ("a", code, name, English name, class, method)
Spec = tuple[Any, ...]


def V(code: str, name: str, name_en: str, nominal: str | None, lsl: str | None,
      usl: str | None, unit: str, cls: str, instrument: str, special: bool = False,
      scales: bool = False) -> Spec:  # fmt: skip
    return ("v", code, name, name_en, nominal, lsl, usl, unit, cls, instrument, special, scales)


def A(code: str, name: str, name_en: str, cls: str, method: str = "目视") -> Spec:
    return ("a", code, name, name_en, cls, method)


VISUAL_MI = A("A90", "外观（磕碰、划伤）", "Appearance (dents, scratches)", MI)
RUST_MI = A("A91", "防锈与清洁度", "Rust protection and cleanliness", MI)
MARKING_MI = A("A92", "标识与追溯码", "Marking and traceability code", MI)
CERT_MA = A("A93", "材质证明与出厂报告", "Material certificate and test report", MA, "核对文件")

# family: (Chinese name, English name, specs)
FAMILIES: dict[str, tuple[str, str, list[Spec]]] = {
    # materials
    "steel_bar": ("圆钢", "Steel bar", [
        V("D01", "直径", "Diameter", None, None, None, "mm", MA, "外径千分尺"),
        V("C01", "碳含量", "Carbon content", None, None, None, "%", MA, "直读光谱仪"),
        V("T01", "抗拉强度", "Tensile strength", None, None, None, "MPa", MA, "万能材料试验机"),
        V("H01", "硬度", "Hardness", None, None, None, "HBW", MI, "布氏硬度计"),
        A("A01", "表面裂纹、折叠", "Surface cracks and laps", MA),
        CERT_MA,
    ]),
    "aluminium": ("铝合金锭", "Aluminium alloy ingot", [
        V("C11", "硅含量", "Silicon content", None, None, None, "%", MA, "直读光谱仪"),
        V("C12", "铁含量", "Iron content", None, None, None, "%", MA, "直读光谱仪"),
        V("C13", "铜含量", "Copper content", None, None, None, "%", MI, "直读光谱仪"),
        A("A11", "夹渣、氧化皮", "Dross and oxide skin", MA),
        CERT_MA,
    ]),
    "rubber": ("橡胶混炼胶", "Rubber compound", [
        V("H21", "邵氏硬度", "Shore hardness", None, None, None, "Shore A", MA, "邵氏硬度计"),
        V("T21", "拉伸强度", "Tensile strength", None, None, None, "MPa", MA, "万能材料试验机"),
        A("A21", "杂质、气泡", "Impurities and bubbles", MI),
        CERT_MA,
    ]),
    "sheet": ("冷轧钢板", "Cold-rolled steel sheet", [
        V("D31", "厚度", "Thickness", None, None, None, "mm", MA, "外径千分尺"),
        V("T31", "抗拉强度", "Tensile strength", None, None, None, "MPa", MI, "万能材料试验机"),
        A("A31", "表面锈蚀、划伤", "Surface rust and scratches", MI),
        CERT_MA,
    ]),
    "coating": ("涂料", "Coating material", [
        V("V41", "黏度", "Viscosity", "20", "18", "24", "s", MI, "涂-4 黏度杯"),
        A("A41", "颜色与色差", "Colour and colour difference", MA, "比色"),
        A("A42", "包装与保质期", "Packaging and shelf life", MI),
        CERT_MA,
    ]),
    "plastic": ("工程塑料粒子", "Engineering plastic pellets", [
        V("W51", "含水率", "Moisture content", "0.10", None, "0.20", "%", MA, "电子天平"),
        A("A51", "颗粒均匀、无杂色", "Even pellets, no stray colour", MI),
        CERT_MA,
    ]),
    "consumable": ("辅料", "Consumable", [
        A("A61", "包装完好、标识清楚", "Packaging intact, labels clear", MI),
        CERT_MA,
    ]),
    # parts
    "crankshaft": ("曲轴", "Crankshaft", [
        V("D01", "主轴颈直径", "Main journal diameter", "30.000", "29.987", "30.013", "mm", MA, "外径千分尺", True, True),
        V("D02", "曲柄销直径", "Crankpin diameter", "26.000", "25.987", "26.013", "mm", MA, "外径千分尺", False, True),
        V("R01", "径向跳动", "Radial runout", None, None, "0.030", "mm", MA, "百分表"),
        V("H01", "轴颈表面硬度", "Journal surface hardness", "60", "58", "62", "HRC", MA, "洛氏硬度计", True),
        V("S01", "轴颈表面粗糙度 Ra", "Journal roughness Ra", None, None, "0.40", "µm", MI, "表面粗糙度仪"),
        A("A01", "磁粉探伤裂纹", "Cracks (magnetic particle)", CR, "磁粉探伤"),
        VISUAL_MI,
    ]),
    "conrod": ("连杆", "Connecting rod", [
        V("D01", "大头孔径", "Big-end bore", "32.000", "31.992", "32.008", "mm", MA, "内径量表", False, True),
        V("D02", "小头孔径", "Small-end bore", "15.000", "14.994", "15.006", "mm", MA, "内径量表"),
        V("L01", "中心距", "Centre distance", "100.00", "99.95", "100.05", "mm", MA, "三坐标测量机", True, True),
        V("H01", "硬度", "Hardness", "30", "28", "33", "HRC", MI, "洛氏硬度计"),
        A("A01", "裂纹", "Cracks", CR, "磁粉探伤"),
        VISUAL_MI,
    ]),
    "piston": ("活塞", "Piston", [
        V("D01", "裙部直径", "Skirt diameter", "56.470", "56.460", "56.480", "mm", MA, "外径千分尺", True, True),
        V("D02", "销孔直径", "Pin bore diameter", "15.004", "15.000", "15.008", "mm", MA, "内径量表"),
        V("W01", "环槽宽度", "Ring groove width", "1.020", "1.010", "1.040", "mm", MI, "数显卡尺"),
        V("M01", "质量", "Mass", "98.0", "96.0", "100.0", "g", MI, "电子天平", False, True),
        A("A01", "铸造气孔", "Casting porosity", MA),
        VISUAL_MI,
    ]),
    "piston_ring": ("活塞环组", "Piston ring set", [
        V("G01", "开口间隙", "End gap", "0.22", "0.15", "0.30", "mm", MA, "数显卡尺"),
        V("T01", "环厚度", "Ring thickness", "0.990", "0.975", "1.000", "mm", MA, "外径千分尺"),
        A("A01", "断裂、缺口", "Breaks and notches", CR),
        VISUAL_MI,
    ]),
    "piston_pin": ("活塞销", "Piston pin", [
        V("D01", "外径", "Outside diameter", "15.000", "14.995", "15.000", "mm", MA, "外径千分尺"),
        V("H01", "表面硬度", "Surface hardness", "60", "58", "64", "HRC", MA, "洛氏硬度计"),
        RUST_MI,
    ]),
    "cylinder": ("气缸体", "Cylinder block", [
        V("D01", "缸孔直径", "Bore diameter", "56.500", "56.490", "56.510", "mm", MA, "内径量表", True, True),
        V("R01", "缸孔圆度", "Bore roundness", None, None, "0.005", "mm", MA, "圆度仪"),
        V("S01", "缸孔粗糙度 Ra", "Bore roughness Ra", None, None, "0.80", "µm", MI, "表面粗糙度仪"),
        V("L01", "缸体高度", "Block height", "68.00", "67.95", "68.05", "mm", MI, "高度仪", False, True),
        A("A01", "缸孔气孔、砂眼", "Porosity in the bore", MA),
        VISUAL_MI,
    ]),
    "cylinder_head": ("气缸头", "Cylinder head", [
        V("F01", "结合面平面度", "Joint-face flatness", None, None, "0.050", "mm", MA, "三坐标测量机"),
        V("D01", "气门导管孔径", "Valve guide bore", "5.500", "5.490", "5.512", "mm", MA, "内径量表"),
        V("V01", "燃烧室容积", "Combustion chamber volume", "14.5", "14.0", "15.0", "ml", MA, "燃烧室容积测量仪", True, True),
        A("A01", "气密性试验泄漏", "Leak test", CR, "气密试验"),
        A("A02", "铸造缺陷", "Casting defects", MA),
        VISUAL_MI,
    ]),
    "camshaft": ("凸轮轴", "Camshaft", [
        V("L01", "进气凸轮升程", "Intake cam lift", "5.60", "5.55", "5.65", "mm", MA, "三坐标测量机", False, True),
        V("D01", "轴颈直径", "Journal diameter", "19.987", "19.980", "19.993", "mm", MA, "外径千分尺"),
        V("H01", "凸轮硬度", "Cam hardness", "55", "52", "58", "HRC", MA, "洛氏硬度计"),
        VISUAL_MI,
    ]),
    "valve": ("气门", "Valve", [
        V("D01", "杆部直径", "Stem diameter", "4.970", "4.960", "4.975", "mm", MA, "外径千分尺"),
        V("L01", "总长", "Overall length", "78.50", "78.30", "78.70", "mm", MI, "数显卡尺", False, True),
        V("H01", "杆端硬度", "Stem-end hardness", "50", "45", "55", "HRC", MA, "洛氏硬度计"),
        A("A01", "盘部裂纹", "Head cracks", CR),
    ]),
    "valve_spring": ("气门弹簧", "Valve spring", [
        V("L01", "自由长度", "Free length", "38.50", "38.00", "39.00", "mm", MA, "数显卡尺"),
        V("F01", "安装长度下弹力", "Force at installed length", "180", "170", "190", "N", MA, "弹簧试验机", True),
        RUST_MI,
    ]),
    "crankcase": ("曲轴箱", "Crankcase", [
        V("D01", "主轴承孔径", "Main bearing bore", "52.000", "51.988", "52.018", "mm", MA, "内径量表", True, True),
        V("F01", "合箱面平面度", "Parting-face flatness", None, None, "0.060", "mm", MA, "三坐标测量机"),
        V("P01", "孔系位置度", "Bore position", None, None, "0.050", "mm", MA, "三坐标测量机"),
        A("A01", "压铸气孔、冷隔", "Die-casting porosity and cold shuts", MA),
        A("A02", "气密性试验泄漏", "Leak test", CR, "气密试验"),
        VISUAL_MI,
    ]),
    "clutch_plate": ("离合器摩擦片", "Clutch friction plate", [
        V("T01", "厚度", "Thickness", "2.95", "2.85", "3.05", "mm", MA, "外径千分尺"),
        V("F01", "平面度", "Flatness", None, None, "0.15", "mm", MI, "百分表"),
        A("A01", "摩擦材料脱落", "Friction material loose", CR),
    ]),
    "gear": ("主动齿轮", "Primary drive gear", [
        V("W01", "公法线长度", "Span measurement", "23.450", "23.400", "23.480", "mm", MA, "外径千分尺", False, True),
        V("H01", "齿面硬度", "Tooth hardness", "60", "58", "63", "HRC", MA, "洛氏硬度计", True),
        V("D01", "内孔直径", "Bore diameter", "20.000", "20.000", "20.021", "mm", MA, "内径量表"),
        A("A01", "齿面磕伤", "Tooth damage", MA),
    ]),
    "brake_disc": ("制动盘", "Brake disc", [
        V("T01", "盘面厚度", "Disc thickness", "4.00", "3.90", "4.10", "mm", MA, "外径千分尺", True),
        V("R01", "端面跳动", "Face runout", None, None, "0.10", "mm", MA, "百分表", True),
        V("H01", "硬度", "Hardness", "35", "32", "38", "HRC", MA, "洛氏硬度计"),
        V("S01", "摩擦面粗糙度 Ra", "Friction-face roughness Ra", None, None, "1.60", "µm", MI, "表面粗糙度仪"),
        A("A01", "裂纹", "Cracks", CR),
        VISUAL_MI,
    ]),
    "wheel_hub": ("轮毂", "Wheel hub", [
        V("D01", "轴承座孔径", "Bearing seat bore", "42.000", "41.984", "42.000", "mm", MA, "内径量表", True),
        V("R01", "径向跳动", "Radial runout", None, None, "0.50", "mm", MA, "百分表"),
        V("C01", "涂层厚度", "Coating thickness", "80", "60", "120", "µm", MI, "涂层测厚仪"),
        A("A01", "铸造裂纹", "Casting cracks", CR, "X 射线"),
        VISUAL_MI,
    ]),
    "sprocket": ("链轮", "Chain sprocket", [
        V("D01", "齿根圆直径", "Root diameter", "60.20", "60.00", "60.40", "mm", MA, "数显卡尺", False, True),
        V("D02", "内孔直径", "Bore diameter", "17.000", "17.000", "17.018", "mm", MA, "内径量表"),
        V("H01", "齿面硬度", "Tooth hardness", "45", "40", "50", "HRC", MA, "洛氏硬度计"),
        RUST_MI,
    ]),
    "head_gasket": ("气缸垫", "Cylinder head gasket", [
        V("T01", "厚度", "Thickness", "0.80", "0.75", "0.85", "mm", MA, "外径千分尺"),
        A("A01", "密封筋缺口", "Sealing bead gaps", MA),
        VISUAL_MI,
    ]),
    "oil_seal": ("油封", "Oil seal", [
        V("D01", "内径", "Inside diameter", "25.00", "24.80", "25.20", "mm", MA, "数显卡尺", False, True),
        V("D02", "外径", "Outside diameter", "40.20", "40.10", "40.30", "mm", MA, "数显卡尺", False, True),
        V("H01", "唇口硬度", "Lip hardness", "70", "65", "75", "Shore A", MI, "邵氏硬度计"),
        A("A01", "唇口缺损", "Lip damage", MA),
    ]),
    "bearing": ("深沟球轴承", "Deep-groove ball bearing", [
        V("D01", "内径", "Bore", "25.000", "24.990", "25.000", "mm", MA, "内径量表"),
        V("D02", "外径", "Outside diameter", "52.000", "51.987", "52.000", "mm", MA, "外径千分尺"),
        A("A01", "转动异响", "Running noise", MA, "手感与听诊"),
        RUST_MI,
    ]),
    "spark_plug": ("火花塞", "Spark plug", [
        V("G01", "电极间隙", "Electrode gap", "0.65", "0.60", "0.70", "mm", MA, "数显卡尺"),
        A("A01", "瓷体裂纹", "Insulator cracks", CR),
        MARKING_MI,
    ]),
    "muffler": ("消声器", "Muffler", [
        V("C01", "耐高温涂层厚度", "Heat-resistant coating thickness", "40", "25", "60", "µm", MI, "涂层测厚仪"),
        V("L01", "安装孔距", "Mounting hole distance", "210.0", "209.5", "210.5", "mm", MA, "数显卡尺"),
        A("A01", "焊缝漏焊、气孔", "Weld gaps and porosity", MA),
        VISUAL_MI,
    ]),
    "frame": ("车架", "Frame", [
        V("L01", "轴距", "Wheelbase", "1280.0", "1277.0", "1283.0", "mm", MA, "三坐标测量机", True, True),
        V("A01", "转向头倾角", "Steering head angle", "26.0", "25.5", "26.5", "°", MA, "三坐标测量机", True),
        V("C01", "电泳涂层厚度", "E-coat thickness", "20", "15", "30", "µm", MI, "涂层测厚仪"),
        A("A02", "焊缝裂纹", "Weld cracks", CR),
    ]),
    "fork_tube": ("前叉管", "Fork tube", [
        V("D01", "外径", "Outside diameter", "33.000", "32.975", "33.000", "mm", MA, "外径千分尺", False, True),
        V("C01", "镀铬层厚度", "Chrome thickness", "25", "20", "35", "µm", MA, "涂层测厚仪"),
        V("R01", "直线度", "Straightness", None, None, "0.05", "mm", MA, "百分表"),
        A("A01", "镀层起泡", "Plating blisters", MI),
    ]),
    "clutch_housing": ("离合器壳", "Clutch housing", [
        V("D01", "轴承孔径", "Bearing bore", "35.000", "34.989", "35.014", "mm", MA, "内径量表"),
        V("W01", "槽宽", "Slot width", "12.20", "12.10", "12.30", "mm", MI, "数显卡尺"),
        A("A01", "铸造缺陷", "Casting defects", MA),
    ]),
    "oil_pump": ("机油泵", "Oil pump", [
        V("Q01", "出油量（4000 r/min）", "Delivery at 4000 r/min", "2.4", "2.1", None, "L/min", MA, "机油泵试验台"),
        V("G01", "转子端隙", "Rotor end clearance", "0.06", "0.03", "0.10", "mm", MA, "数显卡尺"),
        A("A01", "转动卡滞", "Binding when turned", MA, "手感"),
    ]),
    "bolt": ("紧固螺栓", "Bolt", [
        V("T01", "拧紧扭矩（检验）", "Check torque", "25.0", "22.0", "28.0", "N·m", MA, "扭矩扳手"),
        V("H01", "硬度", "Hardness", "32", "28", "38", "HRC", MA, "洛氏硬度计"),
        A("A01", "螺纹损伤", "Thread damage", MA, "螺纹环规"),
        RUST_MI,
    ]),
    # products
    "engine": ("发动机总成", "Engine assembly", [
        V("P01", "最大功率", "Maximum power", None, None, None, "kW", MA, "测功机", True),
        V("T01", "缸头螺栓拧紧扭矩", "Cylinder head bolt torque", "24.0", "22.0", "26.0", "N·m", MA, "扭矩扳手", True),
        V("T02", "火花塞拧紧扭矩", "Spark plug torque", "13.0", "11.0", "15.0", "N·m", MI, "扭矩扳手"),
        V("B01", "曲轴残余不平衡量", "Crankshaft residual unbalance", None, None, "12.0", "g·mm", MA, "动平衡机"),
        A("A01", "漏油、渗油", "Oil leaks", CR, "台架试验"),
        A("A02", "异响", "Abnormal noise", MA, "台架试验"),
        MARKING_MI,
        VISUAL_MI,
    ]),
    "motorcycle": ("摩托车", "Motorcycle", [
        V("T01", "前轴螺母拧紧扭矩", "Front axle nut torque", "65.0", "59.0", "71.0", "N·m", CR, "扭矩扳手", True),
        V("T02", "后轴螺母拧紧扭矩", "Rear axle nut torque", "90.0", "82.0", "98.0", "N·m", CR, "扭矩扳手", True),
        V("C01", "面漆膜厚", "Topcoat thickness", "60", "45", "90", "µm", MI, "涂层测厚仪"),
        A("A01", "制动性能", "Braking performance", CR, "路试"),
        A("A02", "灯光、喇叭功能", "Lights and horn", MA, "功能检查"),
        A("A03", "油漆流挂、橘皮", "Paint runs and orange peel", MI),
        MARKING_MI,
    ]),
    "clutch_assy": ("离合器总成", "Clutch assembly", [
        V("L01", "分离行程", "Release travel", "2.00", "1.80", "2.20", "mm", MA, "百分表"),
        V("T01", "中心螺母扭矩", "Centre nut torque", "40.0", "36.0", "44.0", "N·m", MA, "扭矩扳手", True),
        A("A01", "打滑", "Slipping", CR, "台架试验"),
    ]),
    "cylinder_kit": ("缸套总成（配件）", "Cylinder kit (spare part)", [
        V("D01", "缸孔与活塞配合间隙", "Piston-to-bore clearance", "0.030", "0.020", "0.040", "mm", MA, "内径量表", True),
        A("A01", "配套件缺漏", "Missing components", MA, "清点"),
        MARKING_MI,
    ]),
}  # fmt: skip

# Engine sizes: code, displacement, scale of the dimensions marked ``scales``.
SIZES = [("125", "125", Decimal("1.00")), ("150", "150", Decimal("1.08")),
         ("200", "200", Decimal("1.20")), ("250", "250", Decimal("1.32"))]  # fmt: skip

# Parts: family, prefix, sizes, made in-house (routing) or bought, gates of the item.
# made: (work centres of the routing, operation names) — the last operation's line is where
# in-process inspection keeps the item's switching state.
ROUTINGS: dict[str, list[tuple[str, str, str]]] = {
    "crankshaft": [("WC-FG", "锻件粗车", "Rough turning"), ("WC-HT", "中频淬火", "Induction hardening"), ("WC-MC3", "磨削主轴颈、曲柄销", "Grinding journals and crankpin")],
    "cylinder": [("WC-DC1", "压铸", "Die casting"), ("WC-MC1", "缸孔精镗、珩磨", "Fine boring and honing")],
    "cylinder_head": [("WC-DC1", "重力铸造", "Gravity casting"), ("WC-MC1", "气门座、导管孔加工", "Valve seat and guide machining")],
    "crankcase": [("WC-DC2", "压铸", "Die casting"), ("WC-MC2", "轴承孔加工", "Bearing bore machining")],
    "camshaft": [("WC-MC3", "凸轮磨削", "Cam grinding"), ("WC-HT", "淬火回火", "Hardening and tempering")],
    "clutch_housing": [("WC-DC2", "压铸", "Die casting"), ("WC-MC2", "车削", "Turning")],
    "frame": [("WC-WD", "焊接", "Welding"), ("WC-PT", "电泳涂装", "Electrophoretic coating")],
    "engine": [("WC-AS1", "发动机总成装配", "Engine assembly"), ("WC-AS1", "台架试验", "Bench test")],
    "motorcycle": [("WC-AS3", "整车装配", "Vehicle assembly"), ("WC-PT", "补漆", "Paint touch-up"), ("WC-AS3", "整车检测", "Final vehicle test")],
    "clutch_assy": [("WC-AS2", "离合器装配", "Clutch assembly")],
    "cylinder_kit": [("WC-AS2", "缸套配套包装", "Kit packing")],
}  # fmt: skip

PARTS: list[tuple[str, str, tuple[str, ...]]] = [
    # family, part-number prefix, engine sizes (empty: one item)
    ("crankshaft", "QZ", ("125", "150", "200", "250")),
    ("conrod", "LG", ("125", "150", "200", "250")),
    ("piston", "HS", ("125", "150", "200", "250")),
    ("piston_ring", "HH", ("125", "150", "200", "250")),
    ("piston_pin", "HX", ("125", "150", "200", "250")),
    ("cylinder", "GT", ("125", "150", "200", "250")),
    ("cylinder_head", "GG", ("125", "150", "200", "250")),
    ("camshaft", "TL", ("125", "150", "200", "250")),
    ("valve", "JQ", ("125", "150", "200", "250")),
    ("valve", "PQ", ("125", "150", "200", "250")),
    ("valve_spring", "QH", ("125", "150", "200", "250")),
    ("crankcase", "XZ", ("125", "150", "200", "250")),
    ("crankcase", "XY", ("125", "150", "200", "250")),
    ("clutch_plate", "LM", ("125", "150", "200", "250")),
    ("gear", "ZC", ("125", "150", "200", "250")),
    ("brake_disc", "ZP", ("125", "150", "200", "250")),
    ("brake_disc", "HP", ("150", "200", "250")),
    ("wheel_hub", "QG", ("125", "150", "200", "250")),
    ("wheel_hub", "HG", ("125", "150", "200", "250")),
    ("sprocket", "ZL", ("125", "150", "200", "250")),
    ("sprocket", "CL", ("125", "150", "200", "250")),
    ("head_gasket", "GD", ("125", "150", "200", "250")),
    ("head_gasket", "JD", ("125", "150", "200", "250")),
    ("oil_seal", "YF", ("125", "150", "200", "250")),
    ("bearing", "ZC6", ("125", "150", "200", "250")),
    ("spark_plug", "HZ", ("125", "250")),
    ("muffler", "XS", ("125", "150", "200", "250")),
    ("frame", "CJ", ("125", "150", "200", "250")),
    ("fork_tube", "QC", ("125", "150", "200", "250")),
    ("clutch_housing", "LK", ("125", "150", "200", "250")),
    ("oil_pump", "JB", ("125", "250")),
    ("bolt", "LS", ("125", "250")),
]
# What the prefixes add to the family's name (intake and exhaust valves, front and rear discs…).
PREFIX_NAMES = {
    "JQ": ("进", "Intake "), "PQ": ("排", "Exhaust "), "XZ": ("左", "Left "),
    "XY": ("右", "Right "), "ZP": ("前", "Front "), "HP": ("后", "Rear "), "QG": ("前", "Front "),
    "HG": ("后", "Rear "), "ZL": ("主动", "Drive "), "CL": ("从动", "Driven "),
    "GD": ("", ""), "JD": ("缸体", "Base "),
}  # fmt: skip

# Materials: family, part number, grade (Chinese, English), spec overrides by code.
MATERIALS: list[
    tuple[str, str, str, str, dict[str, tuple[str | None, str | None, str | None]]]
] = []
for _dia in ("20", "25", "30", "40", "50", "60"):
    MATERIALS.append(("steel_bar", f"YJM-45-{_dia}", f"45# 圆钢 Φ{_dia}", f"Steel bar 45 Φ{_dia}",
                      {"D01": (_dia, str(Decimal(_dia) - Decimal("0.4")), str(Decimal(_dia) + Decimal("0.4"))),
                       "C01": ("0.45", "0.42", "0.50"), "T01": ("600", "600", None), "H01": ("200", "170", "229")}))  # fmt: skip
for _grade, _cc, _ts in (("40Cr", ("0.40", "0.37", "0.44"), "980"), ("20CrMnTi", ("0.20", "0.17", "0.23"), "1080"),
                        ("42CrMo", ("0.42", "0.38", "0.45"), "1080"), ("GCr15", ("1.00", "0.95", "1.05"), "860")):  # fmt: skip
    for _dia in ("30", "40", "50"):
        MATERIALS.append(("steel_bar", f"YJM-{_grade}-{_dia}", f"{_grade} 圆钢 Φ{_dia}", f"Steel bar {_grade} Φ{_dia}",
                          {"D01": (_dia, str(Decimal(_dia) - Decimal("0.5")), str(Decimal(_dia) + Decimal("0.5"))),
                           "C01": _cc, "T01": (_ts, _ts, None), "H01": ("217", "187", "255")}))  # fmt: skip
for _grade, _si, _fe, _cu in (("ADC12", ("10.5", "9.6", "12.0"), ("0.80", None, "1.30"), ("2.5", "1.5", "3.5")),
                              ("A356.2", ("7.0", "6.5", "7.5"), ("0.08", None, "0.12"), ("0.05", None, "0.10")),
                              ("ZL101A", ("7.0", "6.5", "7.5"), ("0.10", None, "0.20"), ("0.05", None, "0.10")),
                              ("ZL104", ("9.0", "8.0", "10.5"), ("0.30", None, "0.60"), ("0.05", None, "0.10"))):  # fmt: skip
    MATERIALS.append(("aluminium", f"YJM-AL-{_grade}", f"{_grade} 铝合金锭", f"Aluminium ingot {_grade}",
                      {"C11": _si, "C12": _fe, "C13": _cu}))  # fmt: skip
for _grade, _h, _tr in (("NBR70", ("70", "65", "75"), ("12", "10", None)), ("FKM75", ("75", "70", "80"), ("10", "8", None)),
                       ("EPDM60", ("60", "55", "65"), ("9", "7", None)), ("HNBR80", ("80", "75", "85"), ("18", "15", None))):  # fmt: skip
    MATERIALS.append(
        (
            "rubber",
            f"YJM-RB-{_grade}",
            f"{_grade} 混炼胶",
            f"Rubber compound {_grade}",
            {"H21": _h, "T21": _tr},
        )
    )
for _t in ("1.0", "1.2", "1.5", "2.0", "3.0"):
    MATERIALS.append(("sheet", f"YJM-SP-{_t}", f"SPCC 冷轧板 {_t} mm", f"Cold-rolled sheet SPCC {_t} mm",
                      {"D31": (_t, str(Decimal(_t) - Decimal("0.08")), str(Decimal(_t) + Decimal("0.08"))),
                       "T31": ("270", "270", "410")}))  # fmt: skip
for _code, _name, _en in (("EP", "环氧底漆", "Epoxy primer"), ("PUB", "聚氨酯面漆（黑）", "Polyurethane topcoat, black"),
                          ("PUR", "聚氨酯面漆（红）", "Polyurethane topcoat, red"), ("PWD", "耐高温粉末涂料", "Heat-resistant powder coating"),
                          ("ED", "阴极电泳漆", "Cathodic e-coat paint")):  # fmt: skip
    MATERIALS.append(("coating", f"YJM-CT-{_code}", _name, _en, {}))
for _code, _name, _en in (("PP", "PP 改性料", "Modified PP"), ("ABS", "ABS 粒子", "ABS pellets"),
                          ("PA66", "PA66-GF30 粒子", "PA66-GF30 pellets")):  # fmt: skip
    MATERIALS.append(("plastic", f"YJM-PL-{_code}", _name, _en, {}))
for _code, _name, _en in (("OIL", "发动机润滑油 10W-40", "Engine oil 10W-40"), ("WIRE", "焊丝 ER50-6", "Welding wire ER50-6"),
                          ("SAND", "覆膜砂", "Resin-coated sand")):  # fmt: skip
    MATERIALS.append(("consumable", f"YJM-CS-{_code}", _name, _en, {}))

# Products: family, part number, name, English name, spec overrides.
PRODUCTS: list[tuple[str, str, str, str, dict[str, tuple[str | None, str | None, str | None]]]] = []
for _model, _kw in (("YJ125-A", "7.4"), ("YJ125-B", "7.6"), ("YJ150-A", "9.2"), ("YJ150-B", "9.6"),
                    ("YJ150-C", "9.0"), ("YJ200-A", "11.5"), ("YJ200-B", "12.0"), ("YJ250-A", "15.5"),
                    ("YJ250-B", "16.2"), ("YJ250-T", "17.0"), ("YJ125-W", "7.0"), ("YJ150-W", "8.8")):  # fmt: skip
    PRODUCTS.append(("engine", f"YJF-EN-{_model}", f"{_model} 发动机总成", f"Engine assembly {_model}",
                     {"P01": (_kw, str(Decimal(_kw) * Decimal("0.95")), None)}))  # fmt: skip
for _model, _name, _en in (("YJ125-3", "渝嘉 125 弯梁车", "Yujia 125 underbone"), ("YJ125-5", "渝嘉 125 骑士车", "Yujia 125 standard"),
                           ("YJ150-8", "渝嘉 150 街车", "Yujia 150 street"), ("YJ150-9", "渝嘉 150 越野车", "Yujia 150 trail"),
                           ("YJ200-2", "渝嘉 200 街车", "Yujia 200 street"), ("YJ200-6", "渝嘉 200 三轮摩托车", "Yujia 200 tricycle"),
                           ("YJ250-1", "渝嘉 250 跑车", "Yujia 250 sport"), ("YJ250-2", "渝嘉 250 巡航车", "Yujia 250 cruiser"),
                           ("YJ250-4", "渝嘉 250 探险车", "Yujia 250 adventure"), ("YJ150-E", "渝嘉 150 出口版", "Yujia 150 export")):  # fmt: skip
    PRODUCTS.append(("motorcycle", f"YJF-MC-{_model}", _name, _en, {}))
for _size in ("125", "150", "200", "250"):
    PRODUCTS.append(
        ("clutch_assy", f"YJF-CL-{_size}", f"{_size} 离合器总成", f"Clutch assembly {_size}", {})
    )
for _size in ("125", "150", "200", "250"):
    PRODUCTS.append(
        ("cylinder_kit", f"YJF-CK-{_size}", f"{_size} 缸套总成", f"Cylinder kit {_size}", {})
    )

# --- suppliers, customers, work centres --------------------------------------------------------
# code, name, English name, region code (for the credit code), what it supplies (families)
SUPPLIERS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("S001", "重庆长江特钢有限公司", "Chongqing Changjiang Special Steel Co., Ltd.", "500104", ("steel_bar",)),
    ("S002", "重庆嘉陵钢材贸易有限公司", "Chongqing Jialing Steel Trading Co., Ltd.", "500105", ("steel_bar", "sheet")),
    ("S003", "重庆渝铝合金材料有限公司", "Chongqing Yulü Aluminium Alloy Co., Ltd.", "500113", ("aluminium",)),
    ("S004", "四川西南铝业集团有限责任公司", "Sichuan Southwest Aluminium Group Co., Ltd.", "510100", ("aluminium",)),
    ("S005", "重庆川东橡胶制品有限公司", "Chongqing Chuandong Rubber Products Co., Ltd.", "500101", ("rubber", "oil_seal")),
    ("S006", "重庆双桥锻造有限公司", "Chongqing Shuangqiao Forging Co., Ltd.", "500111", ("conrod", "gear")),
    ("S007", "浙江台州活塞有限公司", "Zhejiang Taizhou Piston Co., Ltd.", "331000", ("piston", "piston_pin")),
    ("S008", "江苏仪征活塞环有限公司", "Jiangsu Yizheng Piston Ring Co., Ltd.", "321081", ("piston_ring",)),
    ("S009", "重庆璧山气门制造有限公司", "Chongqing Bishan Valve Manufacturing Co., Ltd.", "500120", ("valve", "valve_spring")),
    ("S010", "重庆江津弹簧有限公司", "Chongqing Jiangjin Spring Co., Ltd.", "500116", ("valve_spring",)),
    ("S011", "重庆巴南齿轮有限公司", "Chongqing Banan Gear Co., Ltd.", "500113", ("gear", "sprocket")),
    ("S012", "重庆渝北制动器有限公司", "Chongqing Yubei Brake Co., Ltd.", "500112", ("brake_disc",)),
    ("S013", "浙江金华制动盘有限公司", "Zhejiang Jinhua Brake Disc Co., Ltd.", "330700", ("brake_disc",)),
    ("S014", "重庆永川轮毂有限公司", "Chongqing Yongchuan Wheel Co., Ltd.", "500118", ("wheel_hub",)),
    ("S015", "广东江门铝轮有限公司", "Guangdong Jiangmen Aluminium Wheel Co., Ltd.", "440700", ("wheel_hub",)),
    ("S016", "重庆合川链传动有限公司", "Chongqing Hechuan Chain Drive Co., Ltd.", "500117", ("sprocket",)),
    ("S017", "重庆綦江密封件有限公司", "Chongqing Qijiang Seals Co., Ltd.", "500110", ("head_gasket", "oil_seal")),
    ("S018", "浙江慈溪轴承有限公司", "Zhejiang Cixi Bearing Co., Ltd.", "330282", ("bearing",)),
    ("S019", "重庆沙坪坝火花塞有限公司", "Chongqing Shapingba Spark Plug Co., Ltd.", "500106", ("spark_plug",)),
    ("S020", "重庆大足消声器有限公司", "Chongqing Dazu Muffler Co., Ltd.", "500111", ("muffler",)),
    ("S021", "重庆九龙坡车架有限公司", "Chongqing Jiulongpo Frame Co., Ltd.", "500107", ("fork_tube",)),
    ("S022", "重庆南岸减震器有限公司", "Chongqing Nan'an Shock Absorber Co., Ltd.", "500108", ("fork_tube",)),
    ("S023", "重庆涪陵摩擦材料有限公司", "Chongqing Fuling Friction Materials Co., Ltd.", "500102", ("clutch_plate",)),
    ("S024", "重庆长寿机油泵有限公司", "Chongqing Changshou Oil Pump Co., Ltd.", "500115", ("oil_pump",)),
    ("S025", "重庆标准件工业有限责任公司", "Chongqing Standard Parts Industry Co., Ltd.", "500103", ("bolt",)),
    ("S026", "重庆三峡涂料股份有限公司", "Chongqing Sanxia Paints Co., Ltd.", "500101", ("coating",)),
    ("S027", "重庆化工塑料有限公司", "Chongqing Chemical Plastics Co., Ltd.", "500104", ("plastic",)),
    ("S028", "重庆渝江润滑油有限公司", "Chongqing Yujiang Lubricants Co., Ltd.", "500109", ("consumable",)),
    ("S029", "重庆铜梁连杆有限公司", "Chongqing Tongliang Connecting Rod Co., Ltd.", "500151", ("conrod",)),
    ("S030", "重庆荣昌凸轮轴有限公司", "Chongqing Rongchang Camshaft Co., Ltd.", "500153", ("piston_pin", "camshaft")),
]  # fmt: skip
SUPPLIER_CONDITIONAL = "S013"  # approved on conditions after its first audit
SUPPLIER_SUSPENDED = "S030"  # suspended after a run of rejected lots

CUSTOMERS: list[tuple[str, str, str, str]] = [
    ("C001", "重庆渝风摩托车有限公司", "Chongqing Yufeng Motorcycle Co., Ltd.", "500112"),
    ("C002", "重庆嘉陵江机车制造有限公司", "Chongqing Jialingjiang Motorcycle Manufacturing Co., Ltd.", "500105"),
    ("C003", "重庆山城摩托车销售有限公司", "Chongqing Shancheng Motorcycle Sales Co., Ltd.", "500103"),
    ("C004", "广州南沙摩托车有限公司", "Guangzhou Nansha Motorcycle Co., Ltd.", "440115"),
    ("C005", "江门大长江摩配有限公司", "Jiangmen Dachangjiang Motorcycle Parts Co., Ltd.", "440703"),
    ("C006", "洛阳北方机车有限公司", "Luoyang Beifang Motorcycle Co., Ltd.", "410300"),
    ("C007", "台州钱江摩托车销售有限公司", "Taizhou Qianjiang Motorcycle Sales Co., Ltd.", "331000"),
    ("C008", "重庆宗腾动力机械有限公司", "Chongqing Zongteng Power Machinery Co., Ltd.", "500113"),
    ("C009", "重庆对外贸易摩托车进出口有限公司", "Chongqing Foreign Trade Motorcycle Import & Export Co., Ltd.", "500103"),
    ("C010", "重庆三轮摩托车制造有限公司", "Chongqing Tricycle Manufacturing Co., Ltd.", "500118"),
]  # fmt: skip

# code, name, English name, organisation unit
WORK_CENTRES: list[tuple[str, str, str, str]] = [
    ("WC-DC1", "压铸一线", "Die-casting Line 1", "PD-DC-L1"),
    ("WC-DC2", "压铸二线", "Die-casting Line 2", "PD-DC-L2"),
    ("WC-FG", "锻件粗加工线", "Forging Rough-machining Line", "PD-MC"),
    ("WC-MC1", "缸体加工线", "Cylinder Machining Line", "PD-MC-L1"),
    ("WC-MC2", "曲轴箱加工线", "Crankcase Machining Line", "PD-MC-L2"),
    ("WC-MC3", "曲轴凸轮轴磨削线", "Crankshaft and Camshaft Grinding Line", "PD-MC"),
    ("WC-HT", "热处理线", "Heat Treatment Line", "PD-MC"),
    ("WC-WD", "车架焊接线", "Frame Welding Line", "PD"),
    ("WC-PT", "涂装线", "Painting Line", "PD"),
    ("WC-AS1", "发动机总成装配线", "Engine Assembly Line", "PD-AS-L1"),
    ("WC-AS2", "离合器装配线", "Clutch Assembly Line", "PD-AS-L2"),
    ("WC-AS3", "整车装配线", "Vehicle Assembly Line", "PD-AS"),
]  # fmt: skip

FIRST_DAY = datetime.date(2024, 11, 8)


@dataclass
class ItemInfo:
    """What the inspection demo needs to know about an item beyond its record."""

    part_number: str
    family: str
    kind: str
    made: bool  # made in-house (routing, in-process inspection) or bought (incoming inspection)
    gates: tuple[str, ...]
    size: str = ""
    lines: list[str] = field(default_factory=list)  # work-centre codes of its routing


def _specs_scaled(
    specs: list[Spec],
    scale: Decimal,
    overrides: dict[str, tuple[str | None, str | None, str | None]],
) -> list[Spec]:
    out: list[Spec] = []
    for spec in specs:
        if spec[0] != "v":
            out.append(spec)
            continue
        kind, code, name, name_en, nominal, lsl, usl, unit, cls, instr, special, scales = spec
        if code in overrides:
            nominal, lsl, usl = overrides[code]
        elif scales and scale != 1 and nominal is not None:
            # The nominal grows with the engine; the tolerance band stays as drawn.
            nom = Decimal(nominal)
            places = -nom.as_tuple().exponent  # type: ignore[operator]
            new = (nom * scale).quantize(Decimal(1).scaleb(-places))
            shift = new - nom
            nominal = str(new)
            lsl = str(Decimal(lsl) + shift) if lsl is not None else None
            usl = str(Decimal(usl) + shift) if usl is not None else None
        if lsl is None and usl is None:
            continue  # a material without a limit for this code: not checked
        out.append(
            (kind, code, name, name_en, nominal, lsl, usl, unit, cls, instr, special, scales)
        )
    return out


def _d6(value: str | None) -> Decimal | None:
    """A decimal as the database keeps it (6 places), so the audit snapshot reads the same
    after a backup is restored."""
    return None if value is None else Decimal(value).quantize(Decimal("0.000001"))


def _credit_code(ctx: DemoContext, region: str) -> str:
    body = "".join(ctx.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    return credit_code_complete(f"91{region}{body}")


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    admin, qe1, qe2, cqo = users["admin"], users["qe1"], users["qe2"], users["cqo"]
    metrology = users["metrology"]

    # Instruments first: the characteristics name the types they are measured with.
    instruments: dict[str, list[Any]] = {}
    for n_type, (itype, name_en, unit, low, high, res, count, location) in enumerate(
        INSTRUMENT_TYPES, start=1
    ):
        for i in range(1, count + 1):
            instruments.setdefault(itype, []).append(
                S.instrument_create(
                    actor=metrology,
                    number=f"JL-{n_type:02d}-{i:03d}",
                    name=f"{itype} {i} 号",
                    name_en=f"{name_en} No. {i}",
                    instrument_type=itype,
                    range_low=_d6(low),
                    range_high=_d6(high),
                    unit=unit,
                    resolution=_d6(res),
                    location=location,
                    owner_unit=units["QM-MT"],
                )
            )
    ctx.add("masterdata.instruments", instruments)

    work_centres = {
        code: S.work_centre_create(
            actor=admin, code=code, name=name, name_en=name_en, unit=units[unit]
        )
        for code, name, name_en, unit in WORK_CENTRES
    }
    ctx.add("masterdata.work_centres", work_centres)

    items: dict[str, Item] = {}
    info: dict[str, ItemInfo] = {}
    characteristics: dict[str, list[Any]] = {}
    operations: dict[str, list[Any]] = {}

    def add_item(
        family: str,
        part_number: str,
        name: str,
        name_en: str,
        kind: str,
        *,
        made: bool,
        size: str = "",
        scale: Decimal = Decimal(1),
        overrides: dict[str, tuple[str | None, str | None, str | None]] | None = None,
    ) -> None:
        gates: tuple[str, ...]
        if kind == ItemKind.PRODUCT:
            gates = ("ipqc", "oqc")
        elif made:
            gates = ("ipqc",) + (("oqc",) if family in ("crankshaft", "cylinder") else ())
        else:
            gates = ("iqc",)
        # Consumables only warn at the gate: a late certificate must not stop the line.
        warn = family in ("consumable", "coating")
        item = S.item_create(
            actor=qe1,
            part_number=part_number,
            name=name,
            name_en=name_en,
            kind=kind,
            family=family,
            drawing_number="" if kind == ItemKind.MATERIAL else f"YJ-{part_number[4:]}",
            revision="" if kind == ItemKind.MATERIAL else ctx.rng.choice("ABBCC"),
            uom="kg" if kind == ItemKind.MATERIAL and family != "consumable" else "pcs",
            gate_iqc=GateBehaviour.WARN if warn else GateBehaviour.BLOCK,
        )
        items[part_number] = item
        chars = []
        for seq, spec in enumerate(
            _specs_scaled(FAMILIES[family][2], scale, overrides or {}), start=1
        ):
            if spec[0] == "v":
                _k, code, cname, cname_en, nominal, lsl, usl, unit, cls, instr, special, _s = spec
                chars.append(
                    S.characteristic_create(
                        actor=qe1, item=item, code=code, name=cname, name_en=cname_en,
                        kind=CharacteristicKind.VARIABLE, defect_class=cls,
                        nominal=_d6(nominal), lsl=_d6(lsl), usl=_d6(usl),
                        unit=unit, method="测量", instrument_type=instr, special=special,
                        sequence=seq * 10,
                    )
                )  # fmt: skip
            else:
                _k, code, cname, cname_en, cls, method = spec
                chars.append(
                    S.characteristic_create(
                        actor=qe1, item=item, code=code, name=cname, name_en=cname_en,
                        kind=CharacteristicKind.ATTRIBUTE, defect_class=cls, method=method,
                        sequence=seq * 10,
                    )
                )  # fmt: skip
        characteristics[part_number] = chars
        lines: list[str] = []
        if made:
            ops = []
            for seq, (wc, op_name, op_en) in enumerate(ROUTINGS[family], start=1):
                ops.append(
                    S.operation_create(
                        actor=qe1, item=item, sequence=seq * 10, name=op_name, name_en=op_en,
                        work_centre=work_centres[wc],
                    )
                )  # fmt: skip
                lines.append(wc)
            operations[part_number] = ops
        info[part_number] = ItemInfo(part_number, family, kind, made, gates, size, lines)

    for family, part_number, name, name_en, overrides in MATERIALS:
        add_item(family, part_number, name, name_en, ItemKind.MATERIAL, made=False,
                 overrides=overrides)  # fmt: skip
    scales = {code: scale for code, _cc, scale in SIZES}
    for family, prefix, sizes in PARTS:
        fam_name, fam_en, _specs = FAMILIES[family]
        extra, extra_en = PREFIX_NAMES.get(prefix, ("", ""))
        for size in sizes:
            add_item(
                family, f"YJP-{prefix}-{size}", f"{size} {extra}{fam_name}",
                f"{extra_en}{fam_en.lower() if extra_en else fam_en} {size}", ItemKind.PART,
                made=family in ROUTINGS, size=size, scale=scales[size],
            )  # fmt: skip
    for family, part_number, name, name_en, overrides in PRODUCTS:
        add_item(family, part_number, name, name_en, ItemKind.PRODUCT, made=True,
                 overrides=overrides)  # fmt: skip
    ctx.add("masterdata.items", items)
    ctx.add("masterdata.item_info", info)
    ctx.add("masterdata.characteristics", characteristics)
    ctx.add("masterdata.operations", operations)

    # Suppliers: proposed by a quality engineer, approved by the CQO (never by whoever proposed).
    suppliers = {}
    for code, name, name_en, region, _families in SUPPLIERS:
        supplier = S.supplier_create(
            actor=qe2, code=code, name=name, name_en=name_en,
            credit_code=_credit_code(ctx, region),
            contact=f"质量部 023-{ctx.rng.randint(6000, 8999)}{ctx.rng.randint(1000, 9999)}",
        )  # fmt: skip
        suppliers[code] = S.supplier_approve(
            actor=cqo,
            supplier=supplier,
            reason="现场审核通过，样件检验合格（第二方审核报告已归档）。"
            if code != SUPPLIER_CONDITIONAL
            else "现场审核发现热处理记录不全，有条件批准：三个月内整改并复审。",
            conditional=code == SUPPLIER_CONDITIONAL,
        )
    ctx.add("masterdata.suppliers", suppliers)
    ctx.add("masterdata.supplier.conditional", suppliers[SUPPLIER_CONDITIONAL])

    asl: dict[str, list[Any]] = {}
    for part_number, meta in info.items():
        if meta.made:
            continue
        for code, _n, _e, _r, families in SUPPLIERS:
            if meta.family in families:
                entry = S.approved_supplier_add(
                    actor=qe1, item=items[part_number], supplier=suppliers[code],
                    since=FIRST_DAY - datetime.timedelta(days=ctx.rng.randint(30, 900)),
                )  # fmt: skip
                asl.setdefault(part_number, []).append(entry.supplier)
    # Bought items whose family no listed supplier makes get the general traders.
    for part_number, meta in info.items():
        if not meta.made and part_number not in asl:
            entry = S.approved_supplier_add(
                actor=qe1, item=items[part_number], supplier=suppliers["S002"]
            )
            asl[part_number] = [entry.supplier]
    suspended = S.supplier_status_set(
        actor=qe1,
        supplier=suppliers[SUPPLIER_SUSPENDED],
        status="suspended",
        reason="连续批次活塞销硬度不合格，暂停供货，待 8D 报告验证关闭。",
    )
    suppliers[SUPPLIER_SUSPENDED] = suspended
    for part_number in asl:
        # The suspended supplier last: its receipts are refused at the gate.
        asl[part_number] = [
            suppliers[s.code]
            for s in sorted(asl[part_number], key=lambda s: s.code == SUPPLIER_SUSPENDED)
        ]
    ctx.add("masterdata.asl", asl)
    ctx.add("masterdata.supplier.suspended", suspended)

    customers = {}
    for code, name, name_en, region in CUSTOMERS:
        phone = f"{ctx.rng.randint(13000, 13999)}{ctx.rng.randint(100000, 999999)}"
        customers[code] = S.customer_create(
            actor=admin, code=code, name=name, name_en=name_en,
            credit_code=_credit_code(ctx, region), contact=f"采购部 {phone}",
        )  # fmt: skip
    ctx.add("masterdata.customers", customers)


def present() -> bool:
    return Item.objects.exists()


def register() -> None:
    """Called from ``MasterdataConfig.ready()``."""
    from cqo.core.demo import demo_builder_register

    demo_builder_register("masterdata", build, after=("organisation",), present=present)
