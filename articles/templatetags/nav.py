"""The collection tree beside the content (`{% collection_tree %}` in a page's `sidenav` block):
the collections the person may see, nested and ordered, the current one marked `aria-current`
and the path to it open. One query (the visible collections), only on the pages that show it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from permissions.selectors import visible_collections

register = template.Library()


@dataclass
class Node:
    collection: object
    children: list[Node] = field(default_factory=list)
    current: bool = False
    open: bool = False


def _current_collection(context):
    collection = context.get("collection")
    if collection is None and context.get("article") is not None:
        collection = getattr(context["article"], "collection", None)
    return collection


def build_tree(collections, current_pk: int | None, current_is_collection: bool) -> list[Node]:
    nodes = {c.pk: Node(c) for c in collections}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.collection.parent_id)
        (parent.children if parent else roots).append(node)
    node = nodes.get(current_pk)
    if node is not None:
        node.current = current_is_collection
        node.open = True
        parent = nodes.get(node.collection.parent_id)
        while parent is not None and not parent.open:
            parent.open = True
            parent = nodes.get(parent.collection.parent_id)
    return roots


@register.inclusion_tag("articles/_nav_tree.html", takes_context=True)
def collection_tree(context):
    request = context.get("request")
    access = getattr(request, "workspace", None)
    if access is None:
        return {"nodes": []}
    current = _current_collection(context)
    collections = list(visible_collections(access).active().order_by("position", "name"))
    return {
        "nodes": build_tree(collections, getattr(current, "pk", None), context.get("collection") is not None),
        "workspace": access,
    }
