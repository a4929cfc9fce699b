# Prints a module's size raw and gzipped: cmake -DFILE=... -DLABEL=... -P PrintModuleSize.cmake
file(SIZE "${FILE}" raw)
get_filename_component(dir "${FILE}" DIRECTORY)
get_filename_component(base "${FILE}" NAME)
set(gz "${dir}/.${base}.size.gz")
file(ARCHIVE_CREATE OUTPUT "${gz}" PATHS "${FILE}" FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
file(SIZE "${gz}" zipped)
file(REMOVE "${gz}")
message(STATUS "module size ${LABEL}: ${raw} bytes raw, ${zipped} bytes gzipped")
