"""A tree whose rows end in ``…`` where the width cuts them."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.widgets import Tree

if TYPE_CHECKING:
    from rich.style import Style
    from rich.text import Text
    from textual.widgets.tree import TreeNode

DataType = TypeVar("DataType")


class CutTree(Tree[DataType]):
    """A `Tree` that fits each row to its width instead of scrolling sideways.

    A row too long for the tree ends in ``…``: a cut label never reads as whole,
    and no row is out of sight to the right. Widening the terminal shows more.
    """

    DEFAULT_CSS = """
    CutTree {
        overflow-x: hidden;
    }
    """

    def render_label(self, node: TreeNode[DataType], base_style: Style, style: Style) -> Text:
        """The node's label (with its expand icon), cut with ``…`` to the room beside its guides."""
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self.guide_depth * _depth(self, node)
        if label.cell_len > room:
            label.truncate(max(room, 1), overflow="ellipsis")
        return label


def _depth(tree: Tree[DataType], node: TreeNode[DataType]) -> int:
    """How many guides are drawn left of `node` (none for the hidden root's children)."""
    if node is tree.root:
        return 0
    depth = 0
    parent = node.parent
    while parent is not None and parent is not tree.root:
        depth += 1
        parent = parent.parent
    return depth if not tree.show_root else depth + 1
