"""Evidence browser: every study of the library, filterable, with its full record in a detail pane.

The list is a Qt item model (checked with pytest-qt's qtmodeltester); the detail is the HTML of
:mod:`hccdecide.gui.evidence_html`. The header names the library version, its SHA-256 digest and any
user evidence file that was skipped, so a reviewer knows exactly which evidence the app used.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter,
                               QTableView, QTextBrowser, QVBoxLayout, QWidget)

from hccdecide.engine.levels import DESIGN_LABEL, evidence_level
from hccdecide.evidence.library import Library
from hccdecide.evidence.schema import Study
from hccdecide.gui import screen_fit
from hccdecide.gui.evidence_html import study_html

COLUMNS = ("Study", "Year", "Design", "Level", "n", "⚠", "Regimens", "ID")
ID_COLUMN, REGIMEN_COLUMN, DESIGN_COLUMN, STUDY_COLUMN = 7, 6, 2, 0
NUMERIC_COLUMNS = (1, 3, 4, 5)
ALL_REGIMENS = "All regimens"
LIST_SHARE = 0.5  # of the window's width; the detail's tables need the rest at 1280


def _regimens_of(study: Study) -> list[str]:
    return list(dict.fromkeys(list(study.regimen_keys) + [a.regimen_key for a in study.arms if a.regimen_key]))


class StudyTableModel(QAbstractTableModel):
    """One row per study; Qt.UserRole gives the sort key, Qt.UserRole + 1 the Study itself."""

    StudyRole = Qt.UserRole + 1

    def __init__(self, library: Library, parent=None):
        super().__init__(parent)
        self.library = library
        self.studies = list(library.studies)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.studies)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == 5:
            return "Discrepancies between places in the source"
        return None

    def _cells(self, s: Study) -> tuple:
        names = ", ".join(self.library.regimens[k].name for k in _regimens_of(s))
        design = DESIGN_LABEL[s.design] + (" · qualitative, no figures" if s.qualitative else "")
        return (s.short_name, s.year or "", design, evidence_level(s),
                s.n if s.n is not None else "", len(s.discrepancies) or "", names, s.id)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.studies)):
            return None
        s = self.studies[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return str(self._cells(s)[col])
        if role == Qt.UserRole:  # numbers sort as numbers
            value = self._cells(s)[col]
            return value if isinstance(value, int) else (-1 if col in NUMERIC_COLUMNS else str(value))
        if role == Qt.ToolTipRole:
            return {0: s.title, DESIGN_COLUMN: self._cells(s)[col], REGIMEN_COLUMN: self._cells(s)[col],
                    ID_COLUMN: s.title}.get(col)
        if role == self.StudyRole:
            return s
        return None


class StudyFilter(QSortFilterProxyModel):
    """Keeps studies whose text contains every typed word and that support the chosen regimen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []
        self.regimen: str | None = None
        self.setSortRole(Qt.UserRole)

    def _refilter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9 deprecates invalidateFilter()
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "words", text.casefold().split()))

    def set_regimen(self, key: str | None) -> None:
        self._refilter(lambda: setattr(self, "regimen", key))

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt override
        model: StudyTableModel = self.sourceModel()
        s = model.studies[row]
        if self.regimen and self.regimen not in _regimens_of(s):
            return False
        haystack = " ".join([s.id, s.short_name, s.title, s.first_author, s.setting, s.journal or "",
                             s.registry or "", s.trial_name or "", " ".join(str(c) for c in model._cells(s))]).casefold()
        return all(w in haystack for w in self.words)


class EvidenceBrowser(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evidenceBrowser")
        self.setWindowTitle("Evidence browser — hccdecide")
        self.library = library
        self.header = QLabel(self._header_html())
        self.header.setObjectName("evidenceHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.header.setToolTip(f"SHA-256 {library.digest}")  # 64 digits in one line would widen the window
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("evidenceFilter")
        self.filter_edit.setPlaceholderText("Filter: author, id, design, setting…")
        self.filter_edit.setClearButtonEnabled(True)
        self.regimen_box = QComboBox()
        self.regimen_box.setObjectName("evidenceRegimen")
        self.regimen_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.regimen_box.setMinimumContentsLength(14)
        self.regimen_box.addItem(ALL_REGIMENS, None)
        for key, info in library.regimens.items():
            self.regimen_box.addItem(info.name, key)
        self.count = QLabel()
        self.model = StudyTableModel(library, self)
        self.proxy = StudyFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("studyTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        # long: takes the width left, elided, full text in the tooltip (never a sideways scroll at 1280)
        header.setSectionResizeMode(REGIMEN_COLUMN, QHeaderView.Stretch)
        # the study's name and design too: at 1280 one long name took half the list
        for column in (STUDY_COLUMN, DESIGN_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setColumnHidden(ID_COLUMN, True)  # an internal key; the filter still finds it
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.setWordWrap(False)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        self.detail = QTextBrowser()
        self.detail.setObjectName("studyDetail")
        self.detail.setOpenExternalLinks(False)
        # a cell's long word (a dose schedule, a registry number) breaks rather than widen a table past the pane
        self.detail.setWordWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        # Qt's table layout can still round a many-column table a few pixels past the pane: its right
        # border is cut rather than the record scrolled sideways (the text itself always wraps)
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # A new record is laid out first without the vertical bar, then again, narrower, when the bar
        # appears; until that second layout ends the text ran a bar's width (~14 px) past the pane.
        # With the bar always there the record is laid out once, at the width it is shown.
        self.detail.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        self._layout()
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.regimen_box.currentIndexChanged.connect(
            lambda _i: self._apply(lambda: self.proxy.set_regimen(self.regimen_box.currentData())))
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur))
        screen_fit.fit_window(self, QSize(1500, 900))
        # shared once the window has its size (set before, the list took all the width it gained)
        self.split.setSizes([int(LIST_SHARE * self.width()), self.width() - int(LIST_SHARE * self.width())])
        self._update_count()
        self.table.selectRow(0)

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 2)
        filters.addWidget(self.regimen_box, 1)
        filters.addWidget(self.count)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        self.split = split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)

    def _header_html(self) -> str:
        lib = self.library
        skipped = "".join(f"<br><span style='color:#b91c1c'>⚠ Skipped user evidence file: {escape(str(p))}</span>"
                          for p in lib.problems)
        return (f"<b>Evidence library {escape(lib.version)}</b> · {len(lib.studies)} studies · "
                f"digest <code>{lib.short_digest}</code>{skipped}")

    # -- reactions ----------------------------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        self._apply(lambda: self.proxy.set_text(text))

    def _apply(self, change) -> None:
        change()
        self._update_count()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        elif not self.proxy.rowCount():
            self.detail.setHtml("<p>No study matches the filter.</p>")

    def _update_count(self) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} studies")

    def _show(self, index: QModelIndex) -> None:
        study = index.data(StudyTableModel.StudyRole) if index.isValid() else None
        if study is not None:
            self.detail.setHtml(study_html(study, self.library))

    def select_study(self, study_id: str) -> bool:
        """Select ``study_id`` in the list (clearing filters that hide it); False when unknown."""
        for row in range(self.model.rowCount()):
            if self.model.studies[row].id == study_id:
                source = self.model.index(row, 0)
                if not self.proxy.mapFromSource(source).isValid():
                    self.filter_edit.clear()
                    self.regimen_box.setCurrentIndex(0)
                self.table.selectRow(self.proxy.mapFromSource(source).row())
                return True
        return False

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, ID_COLUMN).data() for r in range(self.proxy.rowCount())]
