; Definitions: methods, classes, modules.
(method name: (_) @def)
(singleton_method name: (_) @def)
(class name: (constant) @def)
(class name: (scope_resolution name: (_) @def))
(module name: (constant) @def)
(module name: (scope_resolution name: (_) @def))
; References: calls and constants (a name also captured as a definition is dropped).
(call method: (identifier) @ref)
(constant) @ref
