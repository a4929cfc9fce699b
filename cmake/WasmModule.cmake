# dirbridge_add_module(<name> <function library>)
# Builds one function as a host-loadable module and installs it into dist/:
#   wasi        dist/wasi/<name>.wasm        (a WASI reactor for node:wasi)
#   emscripten  dist/workers/<name>.mjs/.wasm (an ES module factory for Workers)
# Release builds go through Binaryen's wasm-opt; every build prints the module's
# size, raw and gzipped.
set(DIRBRIDGE_DIST_DIR "${CMAKE_SOURCE_DIR}/dist" CACHE PATH "Where built modules are installed")
find_program(WASM_OPT wasm-opt)

function(dirbridge_add_module name function_lib)
  set(target dirbridge_module_${name})
  add_executable(${target} $<TARGET_OBJECTS:dirbridge_module_exports>)
  target_link_libraries(${target} PRIVATE ${function_lib} dirbridge_module_exports)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name})

  if(DIRBRIDGE_PLATFORM STREQUAL "wasi")
    set(out_dir "${DIRBRIDGE_DIST_DIR}/wasi")
    set_target_properties(${target} PROPERTIES SUFFIX ".wasm")
    target_link_options(${target} PRIVATE -mexec-model=reactor -Wl,--export=malloc -Wl,--export=free
                        -Wl,-z,stack-size=1048576)
    set(built "$<TARGET_FILE:${target}>")
    set(installed "${out_dir}/${name}.wasm")
    set(sized "${installed}")
  else()
    set(out_dir "${DIRBRIDGE_DIST_DIR}/workers")
    set_target_properties(${target} PROPERTIES SUFFIX ".mjs")
    target_link_options(${target} PRIVATE
      -sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web -sDYNAMIC_EXECUTION=0
      -sEXPORT_NAME=createDirbridgeModule -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=1048576
      "-sEXPORTED_FUNCTIONS=_dirbridge_alloc,_dirbridge_free,_dirbridge_handle,_dirbridge_route"
      "--js-library=${CMAKE_SOURCE_DIR}/wasm/hosts/workers/dirbridge_imports.js")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${CMAKE_SOURCE_DIR}/wasm/hosts/workers/dirbridge_imports.js")
    set(built "$<TARGET_FILE_DIR:${target}>/${name}.wasm")
    set(installed "${out_dir}/${name}.wasm")
    set(sized "${installed}")
  endif()

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
    COMMAND ${CMAKE_COMMAND} -DFILE=${sized} -DLABEL=${DIRBRIDGE_PLATFORM}/${name}
            -P "${CMAKE_SOURCE_DIR}/cmake/PrintModuleSize.cmake"
    VERBATIM)
endfunction()
