; Definitions: functions and methods (and their declarations), classes, types, namespaces, macros.
(function_declarator declarator: (identifier) @def)
(function_declarator declarator: (field_identifier) @def)
(function_declarator declarator: (qualified_identifier name: (identifier) @def))
(function_declarator declarator: (destructor_name) @def)
(class_specifier name: (type_identifier) @def body: (_))
(struct_specifier name: (type_identifier) @def body: (_))
(union_specifier name: (type_identifier) @def body: (_))
(enum_specifier name: (type_identifier) @def body: (_))
(type_definition declarator: (type_identifier) @def)
(alias_declaration name: (type_identifier) @def)
(namespace_definition name: (namespace_identifier) @def)
(preproc_function_def name: (identifier) @def)
; References: calls and types.
(call_expression function: (identifier) @ref)
(call_expression function: (field_expression field: (field_identifier) @ref))
(call_expression function: (qualified_identifier name: (identifier) @ref))
(type_identifier) @ref
