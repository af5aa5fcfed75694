"""A check box whose label wraps onto more lines instead of widening its pane.

A plain QCheckBox is as wide as its label on one line: a list of long regimen names then scrolls
sideways on a 1280-pixel screen. This one draws the box as usual and its label word-wrapped in the
width it is given, asking for the height that needs.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter

MIN_TEXT_WIDTH = 80  # px: narrower than this, the label would be a column of single words
FLAGS = Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignVCenter


class WrappingCheckBox(QCheckBox):
    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _text_left(self) -> int:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().subElementRect(QStyle.SE_CheckBoxContents, option, self).left()

    def _text_height(self, width: int) -> int:
        box = QRect(0, 0, max(MIN_TEXT_WIDTH, width - self._text_left()), 100000)
        return self.fontMetrics().boundingRect(box, FLAGS, self.text()).height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def _one_line(self) -> int:
        # not QCheckBox.minimumSizeHint(): it calls sizeHint(), which calls back here
        return max(self.style().pixelMetric(QStyle.PM_IndicatorHeight, None, self), self.fontMetrics().height()) + 4

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return max(self._one_line(), self._text_height(width) + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._text_left() + MIN_TEXT_WIDTH, self._one_line())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = super().sizeHint().width()
        return QSize(width, self.heightForWidth(width))

    def hitButton(self, pos) -> bool:  # noqa: N802 - Qt override
        return self.rect().contains(pos)  # the wrapped label toggles the box, as a one-line label does

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        text, option.text = option.text, ""
        painter.drawControl(QStyle.CE_CheckBox, option)
        left = self._text_left()
        painter.setPen(self.palette().color(QPalette.WindowText))
        painter.drawText(QRect(left, 0, self.width() - left, self.height()), FLAGS, text)
