"""Mongolian, Tibetan and Uyghur names as Chinese writes them ("其其格", "索南多杰",
"阿不都热西提"): no Han surname, so the surname-based checks in `people` never see them.

A name here is one to three parts from the lists below, with an optional ending ("买买提江",
"拉毛措"). Two characters ("乌云", "才让", "尼玛") are often an everyday word too, so a
two-character name counts only after a word that introduces a person or before a title;
longer ones stand alone.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span

_MONGOLIAN = """
    巴特尔 巴图 苏和 其其格 琪琪格 乌云 乌兰 朝鲁 斯琴 萨仁 图雅 额尔敦 那日苏 宝音 敖登 格日勒 吉日嘎拉
    乌日娜 阿拉坦 哈斯 孟和 呼和 布和 塔娜 娜仁 其木格 高娃 巴雅尔 特木尔 道尔吉 苏日娜 萨日娜 阿木古楞
    满都拉 恩和 毕力格 宝力德 额尔德尼 格根 托娅 乌力吉 那顺 斯日古楞 吉雅 陶格斯 通拉嘎 阿如汗 巴根
    敖其尔 图门 额日登 苏布达 查干 仁钦 扎那 乌日根 达来
"""
_TIBETAN = """
    扎西 卓玛 次仁 央金 格桑 德吉 拉姆 旺堆 多吉 平措 顿珠 尼玛 达瓦 达娃 索朗 益西 普布 边巴 强巴 洛桑
    丹增 旦增 白玛 曲珍 措姆 拉毛 才让 索南 仁青 桑吉 多杰 巴桑 次旦 拉巴 贡布 罗布 欧珠 琼达 嘎玛 卓嘎
    央宗 德央 阿旺 晋美 才旦 华旦 更登 拉珍 坚赞 加措 嘉措 嘉央 泽仁 泽旺 拉措 仁增 洛布 斯朗 吉美
"""
_UYGHUR_AND_KAZAKH = """
    阿不都 阿卜杜 阿布都 热西提 热合曼 克力木 外力 艾尼 买买提 麦麦提 艾力 艾尔肯 艾克拜尔 吐尔逊 阿依古丽
    古丽娜尔 古丽巴哈尔 古丽 帕提古丽 热依拉 热娜 迪丽娜尔 迪丽拜尔 努尔兰 努尔古丽 努尔 阿迪力 依明
    木拉提 玉素甫 阿布力孜 亚森 艾合买提 阿里木 塔依尔 玛依拉 阿力木 再努尔 米热古丽 祖丽皮亚 阿娜尔
    巴哈古丽 艾则孜 买合木提 吐尔洪 卡德尔 沙吾提 吾斯曼 肉孜 托合提 阿依努尔 哈力克 伊力哈木 阿依夏
    帕丽达 阿卜杜拉 阿不来提 卡米力 加娜尔 叶尔兰 叶尔肯 库尔班 赛买提 阿斯哈尔
"""
_PARTS = sorted({w for block in (_MONGOLIAN, _TIBETAN, _UYGHUR_AND_KAZAKH) for w in block.split()}, key=len, reverse=True)
_PART = "(?:" + "|".join(_PARTS) + ")"
# "买买提江" (a Uyghur diminutive), "拉毛措", "卓玛措" (a Tibetan ending).
_NAME_RE = re.compile(_PART + r"{1,3}(?:江|措)?")
# Words that introduce a person just before a name (three characters at most), and titles
# just after one.
_CUE_BEFORE = re.compile(
    r"(?:妈妈|妈|阿妈|母亲|爸爸|爸|阿爸|父亲|哥哥|哥|姐姐|姐|弟弟|弟|妹妹|妹|老公|老婆|丈夫|妻子|爱人|媳妇|儿子|"
    r"女儿|闺女|孙子|孙女|爷爷|奶奶|舅舅|姑姑|叔叔|阿姨|朋友|同学|同事|室友|舍友|老师|医生|大夫|老板|师傅|徒弟|"
    r"男朋友|女朋友|对象|邻居|客户|学生|叫|名叫|名字叫)$"
)
_TITLE_AFTER = re.compile(r"(?:老师|医生|大夫|师傅|阿姨|大叔|大爷|大妈|大哥|大姐|经理|主任|书记|校长|律师)")
# Public figures with such names.
_PUBLIC = frozenset({"迪丽热巴", "腾格尔", "乌兰图雅", "斯琴高娃", "其其格玛", "扎西顿珠"})
# The greeting "扎西德勒" and places that start with a name part ("乌兰察布", "呼和浩特").
_NOT_AFTER = {"扎西": "德", "乌兰": "察浩巴", "呼和": "浩", "罗布": "泊", "格桑": "花", "那顺": "便"}


class MinorityNameRecognizer:
    """A Mongolian, Tibetan or Uyghur name, as Third-Party Identifiable Info (the user's own
    name is found by `UserNameRecognizer`). A weak rule, like `ChineseNameRecognizer`."""

    name = "zh_minority_name"
    type_ = "Third-Party Identifiable Info"

    def analyze(self, text: str) -> list[Span]:
        spans = []
        for match in _NAME_RE.finditer(text):
            value, start, end = match.group(), match.start(), match.end()
            following = text[end : end + 1]
            if value in _PUBLIC or (following and following in _NOT_AFTER.get(value[:2], "")):
                continue
            cued = _CUE_BEFORE.search(text, max(0, start - 3), start) or _TITLE_AFTER.match(text, end)
            if len(value) == 2 and not cued:
                continue
            spans.append(make_span(text, start, end, self.type_, 0.5, self.name))
        return spans

    def __repr__(self) -> str:
        return "MinorityNameRecognizer()"
