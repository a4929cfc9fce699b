add_library(dirbridge_flags INTERFACE)
target_compile_options(dirbridge_flags INTERFACE -Wall -Wextra -fno-exceptions)
if(NOT DIRBRIDGE_PLATFORM STREQUAL "native")
  target_compile_options(dirbridge_flags INTERFACE -fno-rtti)
endif()
if(DIRBRIDGE_SANITIZE)
  target_compile_options(dirbridge_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(dirbridge_flags INTERFACE -fsanitize=address,undefined)
endif()
# The fuzz preset (tests/fuzz): every library gets libFuzzer's coverage instrumentation
# and ASan + UBSan; the harness executables add -fsanitize=fuzzer (libFuzzer's main).
if(DIRBRIDGE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DIRBRIDGE_FUZZ needs clang (the fuzz preset uses clang++-19), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  target_compile_options(dirbridge_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(dirbridge_flags INTERFACE -fsanitize=address,undefined)
endif()
