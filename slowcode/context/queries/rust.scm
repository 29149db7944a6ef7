; Definitions: functions, types, traits, macros, modules, constants.
(function_item name: (identifier) @def)
(function_signature_item name: (identifier) @def)
(struct_item name: (type_identifier) @def)
(enum_item name: (type_identifier) @def)
(union_item name: (type_identifier) @def)
(trait_item name: (type_identifier) @def)
(type_item name: (type_identifier) @def)
(macro_definition name: (identifier) @def)
(mod_item name: (identifier) @def)
(const_item name: (identifier) @def)
(static_item name: (identifier) @def)
; References: calls, method calls, paths, macros, types.
(call_expression function: (identifier) @ref)
(call_expression function: (field_expression field: (field_identifier) @ref))
(call_expression function: (scoped_identifier name: (identifier) @ref))
(macro_invocation macro: (identifier) @ref)
(type_identifier) @ref
