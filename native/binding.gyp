{
  "targets": [
    {
      "target_name": "faultsense_native",
      "sources": [
        "src/addon.cc",
        "src/notify.cc",
        "src/ort_api.cc",
        "src/ort_create.cc",
        "src/ort_library.cc",
        "src/ort_session.cc",
        "src/pipe_reader.cc",
        "src/malloc_control.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-ldl"]
    }
  ]
}
