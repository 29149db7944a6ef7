; Definitions: functions, classes, methods, functions bound to names.
(function_declaration name: (identifier) @def)
(generator_function_declaration name: (identifier) @def)
(class_declaration name: (identifier) @def)
(method_definition name: (property_identifier) @def)
(variable_declarator name: (identifier) @def value: [(arrow_function) (function_expression) (class)])
(assignment_expression left: (member_expression property: (property_identifier) @def) right: [(arrow_function) (function_expression)])
; References: calls, constructions, base classes, imported names.
(call_expression function: (identifier) @ref)
(call_expression function: (member_expression property: (property_identifier) @ref))
(new_expression constructor: (identifier) @ref)
(class_heritage (identifier) @ref)
(import_specifier name: (identifier) @ref)
