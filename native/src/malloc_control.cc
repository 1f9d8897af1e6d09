// glibc malloc, seen and steered from JavaScript (docs/footprint.md):
//   malloc.trim(pad = 0) → boolean      malloc_trim: free pages inside the arenas go back
//                                        to the kernel (madvise), not only the heap's top
//   malloc.trimAsync(pad = 0) → Promise<boolean>   the same on a libuv worker thread: giving
//                                        pages back can take ~30 ms per MB on a VM whose freed
//                                        pages return to the host (docs/footprint.md)
//   malloc.stats() → {arenaBytes, inUseBytes, freeBytes, mmappedBytes, mmappedChunks,
//                     topReleasableBytes}   mallinfo2 of every arena together
// On a libc without these (musl), `available` is false and both calls throw.
#include <napi.h>

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "modules.h"

namespace faultsense {
namespace {

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
constexpr bool kHaveMallinfo2 = true;
#else
constexpr bool kHaveMallinfo2 = false;
#endif

bool Unsupported(Napi::Env env, const char* what) {
#if defined(__GLIBC__)
  if (std::string(what) == "trim" || kHaveMallinfo2) return false;
#endif
  Napi::Error::New(env, std::string("malloc.") + what + "() needs glibc (2.33+ for stats); this libc has no such call")
      .ThrowAsJavaScriptException();
  return true;
}

Napi::Value Trim(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (Unsupported(env, "trim")) return env.Undefined();
  double pad = info.Length() >= 1 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (pad < 0) {
    Napi::TypeError::New(env, "malloc.trim(pad): pad must be a number of bytes >= 0").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#if defined(__GLIBC__)
  return Napi::Boolean::New(env, malloc_trim(static_cast<size_t>(pad)) == 1);
#else
  return env.Undefined();
#endif
}

class TrimWorker : public Napi::AsyncWorker {
 public:
  TrimWorker(Napi::Env env, size_t pad)
      : Napi::AsyncWorker(env, "faultsense.malloc.trim"), deferred_(Napi::Promise::Deferred::New(env)), pad_(pad) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
#if defined(__GLIBC__)
    released_ = malloc_trim(pad_) == 1;
#endif
  }
  void OnOK() override { deferred_.Resolve(Napi::Boolean::New(Env(), released_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  size_t pad_;
  bool released_ = false;
};

Napi::Value TrimAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (Unsupported(env, "trim")) return env.Undefined();
  double pad = info.Length() >= 1 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (pad < 0) {
    Napi::TypeError::New(env, "malloc.trimAsync(pad): pad must be a number of bytes >= 0").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* worker = new TrimWorker(env, static_cast<size_t>(pad));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (Unsupported(env, "stats")) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 m = mallinfo2();
  o.Set("arenaBytes", static_cast<double>(m.arena));          // bytes held by the arenas (sbrk + arena mmaps)
  o.Set("inUseBytes", static_cast<double>(m.uordblks));       // allocated from the arenas
  o.Set("freeBytes", static_cast<double>(m.fordblks));        // free chunks inside the arenas
  o.Set("mmappedBytes", static_cast<double>(m.hblkhd));       // chunks mapped on their own
  o.Set("mmappedChunks", static_cast<double>(m.hblks));
  o.Set("topReleasableBytes", static_cast<double>(m.keepcost));
#endif
  return o;
}

}  // namespace

void InitMallocControl(Napi::Env env, Napi::Object exports) {
  Napi::Object ns = Napi::Object::New(env);
#if defined(__GLIBC__)
  ns.Set("available", Napi::Boolean::New(env, true));
#else
  ns.Set("available", Napi::Boolean::New(env, false));
#endif
  ns.Set("trim", Napi::Function::New(env, Trim, "trim"));
  ns.Set("trimAsync", Napi::Function::New(env, TrimAsync, "trimAsync"));
  ns.Set("stats", Napi::Function::New(env, Stats, "stats"));
  exports.Set("malloc", ns);
}

}  // namespace faultsense
