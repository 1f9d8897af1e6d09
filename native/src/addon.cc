#include "modules.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  faultsense::InitNotify(env, exports);
  faultsense::InitCapturePipe(env, exports);
  faultsense::InitOrt(env, exports);
  faultsense::InitMallocControl(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(faultsense_native, Init)
