; Definitions: classes, objects, functions, type aliases.
(class_declaration (type_identifier) @def)
(object_declaration (type_identifier) @def)
(function_declaration (simple_identifier) @def)
(type_alias (type_identifier) @def)
; References: calls and types.
(call_expression (simple_identifier) @ref)
(call_expression (navigation_expression (navigation_suffix (simple_identifier) @ref)))
(user_type (type_identifier) @ref)
