# dirbridge_add_module(<name> EDGE|TENANT <function library> <entry source>)
# Builds one function as a host-loadable module and installs it into dist/:
#   wasi        dist/wasi/<name>.wasm         (a WASI reactor for node:wasi)
#   emscripten  dist/workers/<name>.mjs/.wasm (an ES module factory for Workers)
# An EDGE module (stateless, no storage) exports dirbridge_route; a TENANT module
# (run with one tenant's storage) exports dirbridge_handle, dirbridge_tick and
# dirbridge_resume; both export
# dirbridge_alloc, dirbridge_free, dirbridge_max_body_bytes and dirbridge_max_url_bytes
# (wasm/module_exports.h).
# The entry source defines the function's entry points (wasm/function_entry.h).
#
# dirbridge_write_module_registry(), called once after every module is declared,
# adds the target `dirbridge_modules` (built by default, after every module): it
# installs the registry the hosts load modules by, and prints every module's size,
# raw and gzipped, on every build:
#   wasi        dist/wasi/modules.json        {"router": {"kind": "edge", "file": "router.wasm"}, ...}
#   emscripten  dist/workers/modules.mjs      static imports of each factory and .wasm (Workers
#                                             cannot import dynamically)
# Release builds go through Binaryen's wasm-opt.
set(DIRBRIDGE_DIST_DIR "${CMAKE_SOURCE_DIR}/dist" CACHE PATH "Where built modules are installed")
find_program(WASM_OPT wasm-opt)

# Where this platform's modules go (a function: the functions below are called from
# other directories, which do not see this file's variables).
function(_dirbridge_module_dir out)
  if(DIRBRIDGE_PLATFORM STREQUAL "wasi")
    set(${out} "${DIRBRIDGE_DIST_DIR}/wasi" PARENT_SCOPE)
  else()
    set(${out} "${DIRBRIDGE_DIST_DIR}/workers" PARENT_SCOPE)
  endif()
endfunction()

function(dirbridge_add_module name kind function_lib entry)
  if(kind STREQUAL "EDGE")
    set(entry_exports _dirbridge_route)
  elseif(kind STREQUAL "TENANT")
    set(entry_exports _dirbridge_handle,_dirbridge_tick,_dirbridge_resume)
  else()
    message(FATAL_ERROR "dirbridge_add_module(${name}): kind must be EDGE or TENANT, not '${kind}'")
  endif()
  string(TOLOWER "${kind}" kind_lower)
  set(target dirbridge_module_${name})
  _dirbridge_module_dir(out_dir)
  add_executable(${target} ${entry})
  # Object libraries linked directly: their objects (the exports) are always linked in.
  target_link_libraries(${target} PRIVATE dirbridge_module_exports dirbridge_${kind_lower}_exports ${function_lib})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name})

  if(DIRBRIDGE_PLATFORM STREQUAL "wasi")
    set_target_properties(${target} PROPERTIES SUFFIX ".wasm")
    target_link_options(${target} PRIVATE -mexec-model=reactor -Wl,--export=malloc -Wl,--export=free
                        -Wl,-z,stack-size=1048576)
    set(built "$<TARGET_FILE:${target}>")
  else()
    set_target_properties(${target} PROPERTIES SUFFIX ".mjs")
    target_link_options(${target} PRIVATE
      -sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web -sDYNAMIC_EXECUTION=0
      -sEXPORT_NAME=createDirbridgeModule -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=1048576
      "-sEXPORTED_FUNCTIONS=_dirbridge_alloc,_dirbridge_free,_dirbridge_max_body_bytes,_dirbridge_max_url_bytes,${entry_exports}"
      "--js-library=${CMAKE_SOURCE_DIR}/wasm/hosts/workers/dirbridge_imports.js")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${CMAKE_SOURCE_DIR}/wasm/hosts/workers/dirbridge_imports.js")
    set(built "$<TARGET_FILE_DIR:${target}>/${name}.wasm")
  endif()
  set(installed "${out_dir}/${name}.wasm")

  set(optimize_cmd "")
  if(CMAKE_BUILD_TYPE STREQUAL "Release" AND WASM_OPT AND DIRBRIDGE_PLATFORM STREQUAL "wasi")
    # Emscripten already runs wasm-opt at link time for -O2 and above.
    set(optimize_cmd COMMAND ${WASM_OPT} -O3 --strip-debug --enable-bulk-memory --enable-sign-ext
                     --enable-mutable-globals --enable-nontrapping-float-to-int "${installed}" -o "${installed}")
  endif()
  set(copy_js "")
  if(DIRBRIDGE_PLATFORM STREQUAL "emscripten")
    set(copy_js COMMAND ${CMAKE_COMMAND} -E copy "$<TARGET_FILE:${target}>" "${out_dir}/${name}.mjs")
  endif()
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND ${CMAKE_COMMAND} -E copy "${built}" "${installed}"
    ${copy_js}
    ${optimize_cmd}
    VERBATIM)

  set_property(GLOBAL APPEND PROPERTY DIRBRIDGE_MODULES "${name}")
  set_property(GLOBAL PROPERTY DIRBRIDGE_MODULE_KIND_${name} "${kind_lower}")
endfunction()

function(dirbridge_write_module_registry)
  get_property(names GLOBAL PROPERTY DIRBRIDGE_MODULES)
  _dirbridge_module_dir(out_dir)
  set(generated "${CMAKE_BINARY_DIR}/module-registry")
  set(targets "")
  set(size_cmds "")
  set(imports "")
  set(entries "")
  foreach(name IN LISTS names)
    get_property(kind GLOBAL PROPERTY DIRBRIDGE_MODULE_KIND_${name})
    list(APPEND targets dirbridge_module_${name})
    list(APPEND size_cmds COMMAND ${CMAKE_COMMAND} -DFILE=${out_dir}/${name}.wasm
         -DLABEL=${DIRBRIDGE_PLATFORM}/${name} -P "${CMAKE_SOURCE_DIR}/cmake/PrintModuleSize.cmake")
    if(DIRBRIDGE_PLATFORM STREQUAL "wasi")
      list(APPEND entries "  \"${name}\": {\"kind\": \"${kind}\", \"file\": \"${name}.wasm\"}")
    else()
      string(MAKE_C_IDENTIFIER "${name}" id)
      string(APPEND imports "import ${id}Factory from \"./${name}.mjs\";\nimport ${id}Wasm from \"./${name}.wasm\";\n")
      list(APPEND entries "  \"${name}\": { kind: \"${kind}\", factory: ${id}Factory, wasm: ${id}Wasm }")
    endif()
  endforeach()
  list(JOIN entries ",\n" entries)
  if(DIRBRIDGE_PLATFORM STREQUAL "wasi")
    set(registry "modules.json")
    file(CONFIGURE OUTPUT "${generated}/${registry}" CONTENT "{\n${entries}\n}\n" @ONLY)
  else()
    set(registry "modules.mjs")
    file(CONFIGURE OUTPUT "${generated}/${registry}" CONTENT
"// Generated by cmake/WasmModule.cmake: every module of this build, for the Workers
// host (deploy/cloudflare/src/worker.mjs). kind \"edge\" exports dirbridge_route,
// kind \"tenant\" dirbridge_handle (wasm/module_exports.h).
${imports}
export default {
${entries},
};
" @ONLY)
  endif()
  add_custom_target(dirbridge_modules ALL
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${generated}/${registry}" "${out_dir}/${registry}"
    ${size_cmds}
    DEPENDS ${targets}
    VERBATIM)
endfunction()
