"""A page that shows each kind of finish defect the guard must catch (tests/browser/guard.py)."""

import pandas as pd
import streamlit as st

st.set_page_config(layout="wide")
case = st.query_params.get("case", "")
if case == "clipped_metric":
    for column in st.columns(8):
        column.metric("销售额（万元）", "2,409,703.70 万元", delta="-3.4 个百分点，落后时间进度")
elif case == "clipped_button":
    for column in st.columns(9):
        column.button("导出排名 Excel 报表（含明细）", key=f"b{id(column)}")
elif case == "none":
    st.write("距今天：None")
elif case == "nan":
    st.dataframe(pd.DataFrame({"客户经理": ["张三"], "得分": ["nan"]}))
elif case == "latin":
    st.write("平均停留 3 min，manager_id")
elif case == "code":
    st.caption("服务部 D03 的现代终端")
elif case == "overflow":
    st.html('<div style="width:4000px">很宽的内容</div>')
elif case == "wide_table":
    left, _ = st.columns([1, 3])
    left.dataframe(pd.DataFrame({f"第{i}列很长的标题": [1.0] for i in range(12)}))
else:
    st.metric("销量", "1,234.5 箱")
    st.write("干净的页面")
    # A Material icon in markdown is drawn from its name ("hourglass_top"): not a Latin word.
    st.caption(":material/hourglass_top: 本区间未完结")
