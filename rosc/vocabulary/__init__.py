"""What RouterOS has, before any file is read: its command tree (menus,
commands, arguments, with their types and defaults: ``tree``) and the value
types arguments take (``value_types``).  The bottom of the pipeline: the
parser needs the tree to tell a menu path from a command."""
