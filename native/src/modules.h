// Each native module of the addon registers its exports through one of these
// functions; addon.cc calls them all. Add a module: declare it here, implement
// it in its own .cc file, list the file in binding.gyp and call it in addon.cc.
#pragma once
#include <napi.h>

namespace faultsense {

void InitNotify(Napi::Env env, Napi::Object exports);
// Capture pipes (pipe_reader.cc): exports.capturePipe = { open, size, maxSize, RecordReader }.
void InitCapturePipe(Napi::Env env, Napi::Object exports);
// ONNX Runtime bridge (ort_*.cc): exports.ort = { OrtLibrary, OrtSession }. Owns the instance data slot.
void InitOrt(Napi::Env env, Napi::Object exports);
// glibc malloc (malloc_control.cc): exports.malloc = { available, trim, trimAsync, stats }.
void InitMallocControl(Napi::Env env, Napi::Object exports);

}  // namespace faultsense
