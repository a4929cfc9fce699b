# Third-party code comes from installed packages, never from copies in this tree.
# The wasm builds must not see the host's /usr/include (glibc headers would shadow
# wasi-libc / Emscripten's libc), so nlohmann/json is exposed to them through a
# folder that holds only a link to the package's nlohmann/ directory.
find_package(nlohmann_json 3.11 CONFIG REQUIRED NO_CMAKE_FIND_ROOT_PATH)
get_target_property(_nlohmann_include nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)

add_library(dirbridge_json INTERFACE)
if(DIRBRIDGE_PLATFORM STREQUAL "native")
  target_link_libraries(dirbridge_json INTERFACE nlohmann_json::nlohmann_json)
else()
  set(_isolated "${CMAKE_BINARY_DIR}/isolated-include")
  file(MAKE_DIRECTORY "${_isolated}")
  set(_nlohmann_dir "")
  foreach(_dir IN LISTS _nlohmann_include)
    if(EXISTS "${_dir}/nlohmann/json.hpp")
      set(_nlohmann_dir "${_dir}/nlohmann")
      break()
    endif()
  endforeach()
  if(NOT _nlohmann_dir)
    message(FATAL_ERROR "nlohmann/json.hpp not found under ${_nlohmann_include}")
  endif()
  file(REMOVE "${_isolated}/nlohmann")
  file(CREATE_LINK "${_nlohmann_dir}" "${_isolated}/nlohmann" SYMBOLIC)
  target_include_directories(dirbridge_json SYSTEM INTERFACE "${_isolated}")
endif()
# The core is built without exceptions everywhere, so native tests exercise the same code.
target_compile_definitions(dirbridge_json INTERFACE JSON_NOEXCEPTION=1)

if(DIRBRIDGE_PLATFORM STREQUAL "native")
  find_package(Catch2 2 CONFIG REQUIRED)
endif()
