"""Posts (岗位) a person can hold. One person may hold several, each in one organisation."""

from enum import StrEnum


class Post(StrEnum):
    COLLECTOR = "collector"  # 监督员 / 信息采集员: patrols 责任网格, reports, 核实 and 核查
    INTAKE_OPERATOR = "intake_operator"  # 受理员: accepts reports (also from the 12319 hotline)
    SHIFT_LEADER = "shift_leader"  # 值班长: opens (立案), voids and closes cases
    DISPATCHER = "dispatcher"  # 派遣员: dispatches to departments, approves 回退/延期/挂账
    DEPARTMENT_HANDLER = "department_handler"  # 专业部门处置人员
    DISTRICT_OPERATOR = "district_operator"  # 区指挥中心操作员 (二级指挥)
    LEADER = "leader"  # 领导 / 评价人员: reads evaluation reports
    SYSTEM_ADMIN = "system_admin"  # 系统管理员
    REPORTING_SYSTEM = "reporting_system"  # 外部上报系统: an Open311 client; enters reports, acts on and reads no case
