; Definitions: functions (and prototypes), tagged types, typedefs, macros.
(function_declarator declarator: (identifier) @def)
(struct_specifier name: (type_identifier) @def body: (_))
(union_specifier name: (type_identifier) @def body: (_))
(enum_specifier name: (type_identifier) @def body: (_))
(type_definition declarator: (type_identifier) @def)
(preproc_function_def name: (identifier) @def)
(preproc_def name: (identifier) @def)
; References: calls and types.
(call_expression function: (identifier) @ref)
(call_expression function: (field_expression field: (field_identifier) @ref))
(type_identifier) @ref
