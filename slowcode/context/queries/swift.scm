; Definitions: classes, structs, enums, protocols, functions, type aliases.
(class_declaration name: (type_identifier) @def)
(protocol_declaration name: (type_identifier) @def)
(function_declaration name: (simple_identifier) @def)
(protocol_function_declaration name: (simple_identifier) @def)
(typealias_declaration name: (type_identifier) @def)
; References: calls and types.
(call_expression (simple_identifier) @ref)
(call_expression (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @ref)))
(user_type (type_identifier) @ref)
