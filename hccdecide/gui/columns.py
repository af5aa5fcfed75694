"""Tree columns that always fit their pane: no sideways scrolling at 1366×768, long text wraps.

Short columns (a status, a count) take their content width, capped; the text columns share what is
left by weight, and their text wraps onto more lines instead of being cut.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QToolTip, QTreeView

MIN_TEXT_COLUMN = 60  # px: a shared column never gets narrower than this
SHORT_COLUMN_CAP_CHARS = 24
SIZED_ROLES = {int(Qt.DisplayRole.value), int(Qt.FontRole.value), int(Qt.DecorationRole.value), int(Qt.SizeHintRole.value)}


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's current width (a tree row is otherwise one line)."""

    PADDING = 4

    def __init__(self, tree: QTreeView, wrap: set[int]):
        super().__init__(tree)
        self.tree, self.wrap = tree, wrap
        self._heights: dict[tuple, int] = {}  # (text, width, font) -> wrapped height: edits repeat texts

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint(option, index)
        if index.column() not in self.wrap:
            return hint
        # Read the cell through itemData(): index.data() of an empty role and initStyleOption() hand
        # back a None whose reference count the binding gets wrong, which later crashes the interpreter.
        cell = index.model().itemData(index)
        text = cell.get(int(Qt.DisplayRole.value))
        if not text:
            return hint
        font = cell.get(int(Qt.FontRole.value)) or option.font
        width = self.tree.header().sectionSize(index.column())
        if index.column() == 0:  # the tree's indentation and expand arrow take part of the first column
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.tree.indentation() * (depth + (1 if self.tree.rootIsDecorated() else 0))
        width = max(20, width - 2 * self.PADDING - 6)
        key = (text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 5000:
                self._heights.clear()
            bounds = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), Qt.TextWordWrap, str(text))
            height = self._heights[key] = bounds.height() + self.PADDING
        return QSize(hint.width(), max(hint.height(), height))

    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802 - Qt override
        """A cut cell shows its full text on hover (cells with their own tooltip keep theirs)."""
        if event.type() == QEvent.ToolTip and index.isValid():
            cell = index.model().itemData(index)
            text = cell.get(int(Qt.DisplayRole.value))
            if text and not cell.get(int(Qt.ToolTipRole.value)):
                QToolTip.showText(event.globalPos(), str(text), view)
                return True
        return super().helpEvent(event, view, option, index)


class ColumnFitter(QObject):
    def __init__(self, tree: QTreeView, weights: dict[int, float], caps: dict[int, int] | None = None,
                 wrap: set[int] | None = None):
        super().__init__(tree)
        self.tree, self.weights, self.caps = tree, weights, caps or {}
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.Fixed)
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setTextElideMode(Qt.ElideRight)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        tree.setItemDelegate(WrappingDelegate(tree, set(weights) if wrap is None else set(wrap)))
        tree.viewport().installEventFilter(self)
        self._timer = QTimer(self)  # a child: it dies with the tree, so no fit runs on a deleted tree
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.fit)
        self._stale = False  # changed while hidden: fit when shown
        model = tree.model()
        for signal in (model.rowsInserted, model.modelReset):
            signal.connect(self.schedule)
        model.dataChanged.connect(self._data_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Resize or (event.type() == QEvent.Show and self._stale):
            self.schedule()
        return False

    def _data_changed(self, _first, _last, roles=()) -> None:
        if not roles or any(role in SIZED_ROLES for role in roles):  # a new tooltip or colour: same widths
            self.schedule()

    def schedule(self) -> None:
        """Refit once the current batch of changes is done (many rows may be added in a row)."""
        if not self._timer.isActive():
            self._timer.start(0)

    def fit(self) -> None:
        """Fit the columns now; a hidden tree (another tab) is fitted when it is shown."""
        self._stale = not self.tree.isVisible()
        if self._stale:
            return
        tree, header = self.tree, self.tree.header()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        available = max(0, tree.viewport().width() - 2)
        char = tree.fontMetrics().averageCharWidth()
        short = {c: min(max(tree.sizeHintForColumn(c), header.sectionSizeHint(c)),
                        self.caps.get(c, SHORT_COLUMN_CAP_CHARS) * char)
                 for c in columns if c not in self.weights}
        left = max(0, available - sum(short.values()))
        total = sum(self.weights.get(c, 0) for c in columns) or 1
        before = [header.sectionSize(c) for c in columns]
        for c in columns:
            width = short[c] if c in short else max(MIN_TEXT_COLUMN, int(left * self.weights[c] / total))
            header.resizeSection(c, width)
        overflow = header.length() - available
        if overflow > 0:  # minimum widths overflowed a very narrow pane: take it from the widest column
            widest = max(columns, key=header.sectionSize)
            header.resizeSection(widest, max(20, header.sectionSize(widest) - overflow))
        if [header.sectionSize(c) for c in columns] != before:
            # wrapped rows take the heights of their new widths; at unchanged widths the tree has
            # already measured the rows whose text changed (QTreeView does on dataChanged)
            tree.doItemsLayout()


def fit_columns(tree: QTreeView, weights: dict[int, float], caps: dict[int, int] | None = None,
                wrap: set[int] | None = None) -> ColumnFitter:
    """Keep ``tree``'s columns inside its pane; ``weights`` name the columns that share the free width,
    ``wrap`` those whose text wraps (default: the sharing columns; the others are cut, full text in
    the tooltip)."""
    tree._column_fitter = ColumnFitter(tree, weights, caps, wrap)  # kept with the tree
    return tree._column_fitter
