; Definitions: functions, methods, types, interface methods.
(function_declaration name: (identifier) @def)
(method_declaration name: (field_identifier) @def)
(type_spec name: (type_identifier) @def)
(method_elem name: (field_identifier) @def)
; References: calls and types (a name also captured as a definition is dropped).
(call_expression function: (identifier) @ref)
(call_expression function: (selector_expression field: (field_identifier) @ref))
(type_identifier) @ref
