// JS class OrtLibrary: one dlopen'ed ONNX Runtime shared library.
//   new OrtLibrary(path)          dlopen + OrtGetApiBase()->GetApi(12) + CreateEnv
//   .version .apiVersion .path .pluginApi
//   .providers()                  GetAvailableProviders
//   .hasExport(symbol)            dlsym probe (e.g. the VSINPU legacy append)
//   .registerPluginLibrary(name, path) / .unregisterPluginLibrary(name)   (API 22)
//   .epDevices()                  GetEpDevices with their hardware devices (API 22)
//   .createSession(pathOrBytes, options) → Promise<OrtSession>
//   .registerSharedArena({arena_extend_strategy, max_mem, ...}) → the CPU arena every session
//        created with config "session.use_env_allocators" = "1" allocates from (once per library)
//   .sharedArena                  "" or a description of the registered arena
#include <dlfcn.h>

#include <cstring>
#include <map>
#include <mutex>

#include "modules.h"
#include "ort_bridge.h"

namespace faultsense {
namespace ort {
namespace {

std::mutex g_libs_mutex;
std::map<std::string, std::shared_ptr<LibraryCore>> g_libs;  // never freed: see LibraryCore

std::shared_ptr<LibraryCore> OpenLibrary(const std::string& path, Failure& fail) {
  std::lock_guard<std::mutex> lock(g_libs_mutex);
  auto it = g_libs.find(path);
  if (it != g_libs.end()) return it->second;
  fail.failed = true;
  fail.code = -1;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    fail.message = "cannot load ONNX Runtime library " + path + ": " + (why ? why : "unknown dlopen error");
    return nullptr;
  }
  void* sym = dlsym(handle, "OrtGetApiBase");
  if (sym == nullptr) {
    fail.message = path + " is not an ONNX Runtime library (no OrtGetApiBase export)";
    return nullptr;
  }
  const ApiBase* (*getBase)() = nullptr;
  std::memcpy(&getBase, &sym, sizeof(getBase));
  const ApiBase* base = getBase();
  auto lib = std::make_shared<LibraryCore>();
  lib->path = path;
  lib->handle = handle;
  lib->version = base->GetVersionString ? base->GetVersionString() : "?";
  const void* table = base->GetApi(kBaseApiVersion);
  if (table == nullptr) {
    fail.message = path + " (ONNX Runtime " + lib->version + ") does not provide API version " +
                   std::to_string(kBaseApiVersion) + "; ONNX Runtime 1.12 or newer is needed";
    return nullptr;
  }
  FillFunctions(table, lib->fn);
  // The plugin EP calls are the only reason to ask for a newer table.
  const void* table22 = base->GetApi(kPluginApiVersion);
  if (table22 != nullptr) {
    lib->hasPlugin = true;
    FillPluginFunctions(table22, lib->plugin);
  }
  fail = Failure{};
  if (lib->Check(lib->fn.CreateEnv(3, "faultsense", &lib->env), fail, "creating the ONNX Runtime environment")) {
    return nullptr;
  }
  if (lib->Check(lib->fn.CreateCpuMemoryInfo(0, 0, &lib->cpuMemory), fail, "CPU memory info")) return nullptr;
  g_libs[path] = lib;
  return lib;
}

void ReadStringMap(const Napi::Value& v, std::vector<std::string>& keys, std::vector<std::string>& values) {
  if (!v.IsObject()) return;
  Napi::Object o = v.As<Napi::Object>();
  Napi::Array names = o.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); ++i) {
    std::string k = names.Get(i).ToString().Utf8Value();
    keys.push_back(k);
    values.push_back(o.Get(k).ToString().Utf8Value());
  }
}

Napi::Object KeyValues(Napi::Env env, const PluginFunctions& p, const KeyValuePairs* kv) {
  Napi::Object o = Napi::Object::New(env);
  if (kv == nullptr) return o;
  const char* const* keys = nullptr;
  const char* const* values = nullptr;
  size_t n = 0;
  p.GetKeyValuePairs(kv, &keys, &values, &n);
  for (size_t i = 0; i < n; ++i) o.Set(keys[i], values[i] ? values[i] : "");
  return o;
}

class CreateWorker : public Napi::AsyncWorker {
 public:
  CreateWorker(Napi::Env env, std::shared_ptr<LibraryCore> lib, SessionRequest req)
      : Napi::AsyncWorker(env, "faultsense.ort.createSession"),
        deferred_(Napi::Promise::Deferred::New(env)), lib_(std::move(lib)), req_(std::move(req)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { CreateSessionBlocking(lib_, req_, core_, fail_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (fail_.failed) {
      deferred_.Reject(MakeError(env, fail_).Value());
      return;
    }
    deferred_.Resolve(WrapSession(env, core_));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<LibraryCore> lib_;
  SessionRequest req_;
  std::shared_ptr<SessionCore> core_;
  Failure fail_;
};

class LibraryObject : public Napi::ObjectWrap<LibraryObject> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "OrtLibrary",
                       {InstanceMethod<&LibraryObject::Providers>("providers"),
                        InstanceMethod<&LibraryObject::HasExport>("hasExport"),
                        InstanceMethod<&LibraryObject::Register>("registerPluginLibrary"),
                        InstanceMethod<&LibraryObject::Unregister>("unregisterPluginLibrary"),
                        InstanceMethod<&LibraryObject::EpDevices>("epDevices"),
                        InstanceMethod<&LibraryObject::CreateSession>("createSession"),
                        InstanceMethod<&LibraryObject::RegisterSharedArena>("registerSharedArena"),
                        InstanceAccessor<&LibraryObject::SharedArena>("sharedArena")});
  }

  explicit LibraryObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LibraryObject>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsString()) {
      Napi::TypeError::New(env, "new OrtLibrary(path): the library path must be a string").ThrowAsJavaScriptException();
      return;
    }
    Failure fail;
    lib_ = OpenLibrary(info[0].As<Napi::String>().Utf8Value(), fail);
    if (!lib_) {
      MakeError(env, fail).ThrowAsJavaScriptException();
      return;
    }
    Napi::Object self = info.This().As<Napi::Object>();
    self.Set("path", lib_->path);
    self.Set("version", lib_->version);
    self.Set("apiVersion", static_cast<double>(kBaseApiVersion));
    self.Set("pluginApi", lib_->hasPlugin);
  }

 private:
  Napi::Value Providers(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    char** list = nullptr;
    int n = 0;
    Failure fail;
    if (lib_->Check(lib_->fn.GetAvailableProviders(&list, &n), fail, "GetAvailableProviders")) {
      MakeError(env, fail).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array out = Napi::Array::New(env, n);
    for (int i = 0; i < n; ++i) out.Set(static_cast<uint32_t>(i), list[i]);
    lib_->Check(lib_->fn.ReleaseAvailableProviders(list, n), fail, "");
    return out;
  }

  Napi::Value HasExport(const Napi::CallbackInfo& info) {
    std::string name = info[0].ToString().Utf8Value();
    return Napi::Boolean::New(info.Env(), dlsym(lib_->handle, name.c_str()) != nullptr);
  }

  bool NeedPlugin(Napi::Env env) {
    if (lib_->hasPlugin) return true;
    Failure f{true, 9,
              "plugin execution providers need ONNX Runtime API 22 (1.22+); " + lib_->path + " is " + lib_->version};
    MakeError(env, f).ThrowAsJavaScriptException();
    return false;
  }

  Napi::Value Register(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!NeedPlugin(env)) return env.Undefined();
    std::string name = info[0].ToString().Utf8Value();
    std::string path = info[1].ToString().Utf8Value();
    Failure fail;
    if (lib_->Check(lib_->plugin.RegisterExecutionProviderLibrary(lib_->env, name.c_str(), path.c_str()), fail,
                    "registering plugin EP library " + path)) {
      MakeError(env, fail).ThrowAsJavaScriptException();
    }
    return env.Undefined();
  }

  Napi::Value Unregister(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!NeedPlugin(env)) return env.Undefined();
    std::string name = info[0].ToString().Utf8Value();
    Failure fail;
    if (lib_->Check(lib_->plugin.UnregisterExecutionProviderLibrary(lib_->env, name.c_str()), fail,
                    "unregistering plugin EP library " + name)) {
      MakeError(env, fail).ThrowAsJavaScriptException();
    }
    return env.Undefined();
  }

  Napi::Value EpDevices(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!NeedPlugin(env)) return env.Undefined();
    const PluginFunctions& p = lib_->plugin;
    const EpDevice* const* devices = nullptr;
    size_t n = 0;
    Failure fail;
    if (lib_->Check(p.GetEpDevices(lib_->env, &devices, &n), fail, "GetEpDevices")) {
      MakeError(env, fail).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    static const char* const kinds[] = {"cpu", "gpu", "npu"};
    Napi::Array out = Napi::Array::New(env, n);
    for (size_t i = 0; i < n; ++i) {
      const EpDevice* d = devices[i];
      const HardwareDevice* hw = p.EpDevice_Device(d);
      Napi::Object o = Napi::Object::New(env);
      o.Set("epName", p.EpDevice_EpName(d) ? p.EpDevice_EpName(d) : "");
      o.Set("epVendor", p.EpDevice_EpVendor(d) ? p.EpDevice_EpVendor(d) : "");
      o.Set("epMetadata", KeyValues(env, p, p.EpDevice_EpMetadata(d)));
      o.Set("epOptions", KeyValues(env, p, p.EpDevice_EpOptions(d)));
      if (hw != nullptr) {
        int type = p.HardwareDevice_Type(hw);
        o.Set("deviceType", type >= 0 && type <= 2 ? kinds[type] : "unknown");
        o.Set("vendor", p.HardwareDevice_Vendor(hw) ? p.HardwareDevice_Vendor(hw) : "");
        o.Set("vendorId", static_cast<double>(p.HardwareDevice_VendorId(hw)));
        o.Set("deviceId", static_cast<double>(p.HardwareDevice_DeviceId(hw)));
        o.Set("deviceMetadata", KeyValues(env, p, p.HardwareDevice_Metadata(hw)));
      }
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  }

  Napi::Value CreateSession(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SessionRequest req;
    if (info.Length() >= 1 && info[0].IsString()) {
      req.path = info[0].As<Napi::String>().Utf8Value();
    } else if (info.Length() >= 1 && info[0].IsTypedArray()) {
      Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
      const uint8_t* p = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
      req.bytes.assign(p, p + ta.ByteLength());
      req.fromBuffer = true;
    } else {
      Napi::TypeError::New(env, "createSession(model, options): model must be a file path or a Uint8Array")
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (info.Length() >= 2 && info[1].IsObject()) {
      Napi::Object o = info[1].As<Napi::Object>();
      if (o.Get("ep").IsString()) req.ep = o.Get("ep").ToString().Utf8Value();
      if (o.Get("pluginEp").IsString()) req.pluginEp = o.Get("pluginEp").ToString().Utf8Value();
      ReadStringMap(o.Get("options"), req.optionKeys, req.optionValues);
      ReadStringMap(o.Get("config"), req.configKeys, req.configValues);
      if (o.Get("intraOpThreads").IsNumber()) req.intraThreads = o.Get("intraOpThreads").ToNumber().Int32Value();
      if (o.Get("interOpThreads").IsNumber()) req.interThreads = o.Get("interOpThreads").ToNumber().Int32Value();
      if (o.Get("graphOptimizationLevel").IsNumber()) {
        req.graphOptimization = o.Get("graphOptimizationLevel").ToNumber().Int32Value();
      }
      if (o.Get("logSeverity").IsNumber()) req.logSeverity = o.Get("logSeverity").ToNumber().Int32Value();
      if (o.Get("cpuMemArena").IsBoolean()) req.cpuMemArena = o.Get("cpuMemArena").ToBoolean().Value() ? 1 : 0;
      if (o.Get("memPattern").IsBoolean()) req.memPattern = o.Get("memPattern").ToBoolean().Value() ? 1 : 0;
      if (o.Get("executionMode").IsString()) {
        std::string mode = o.Get("executionMode").ToString().Utf8Value();
        if (mode != "sequential" && mode != "parallel") {
          Napi::TypeError::New(env, "createSession(): executionMode must be \"sequential\" or \"parallel\"")
              .ThrowAsJavaScriptException();
          return env.Undefined();
        }
        req.executionMode = mode == "parallel" ? 1 : 0;
      }
      ReadStringMap(o.Get("runConfig"), req.runConfigKeys, req.runConfigValues);
    }
    auto* worker = new CreateWorker(env, lib_, std::move(req));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  // Registers one CPU arena in the environment (CreateArenaCfgV2 keys with
  // numeric values). A second call with the same settings does nothing; with
  // other settings it throws (ONNX Runtime keeps the first for the process).
  Napi::Value RegisterSharedArena(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<std::string> keys;
    std::vector<size_t> values;
    std::string described;
    if (info.Length() >= 1 && info[0].IsObject()) {
      Napi::Object o = info[0].As<Napi::Object>();
      Napi::Array names = o.GetPropertyNames();
      for (uint32_t i = 0; i < names.Length(); ++i) {
        std::string k = names.Get(i).ToString().Utf8Value();
        Napi::Value v = o.Get(k);
        double d = v.IsNumber() ? v.ToNumber().DoubleValue() : -1;
        if (d < 0) {
          Napi::TypeError::New(env, "registerSharedArena(): " + k + " must be a number >= 0").ThrowAsJavaScriptException();
          return env.Undefined();
        }
        keys.push_back(k);
        values.push_back(static_cast<size_t>(d));
        described += (described.empty() ? "" : ",") + k + "=" + std::to_string(values.back());
      }
    }
    if (described.empty()) described = "defaults";
    std::lock_guard<std::mutex> lock(g_libs_mutex);
    if (!lib_->sharedArena.empty()) {
      if (lib_->sharedArena != described) {
        MakeError(env, Failure{true, 2,
                               "a shared CPU arena (" + lib_->sharedArena + ") is already registered in " + lib_->path +
                                   "; it cannot be registered again with " + described})
            .ThrowAsJavaScriptException();
      }
      return env.Undefined();
    }
    const Functions& f = lib_->fn;
    Failure fail;
    std::vector<const char*> ckeys;
    for (const std::string& k : keys) ckeys.push_back(k.c_str());
    ArenaCfg* cfg = nullptr;
    MemoryInfo* arenaMemory = nullptr;
    if (!lib_->Check(f.CreateArenaCfgV2(ckeys.data(), values.data(), keys.size(), &cfg), fail, "arena settings") &&
        !lib_->Check(f.CreateCpuMemoryInfo(1, 0, &arenaMemory), fail, "arena memory info")) {
      lib_->Check(f.CreateAndRegisterAllocator(lib_->env, arenaMemory, cfg), fail, "registering the shared CPU arena");
    }
    if (arenaMemory != nullptr) f.ReleaseMemoryInfo(arenaMemory);
    if (cfg != nullptr) f.ReleaseArenaCfg(cfg);
    if (fail.failed) {
      MakeError(env, fail).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    lib_->sharedArena = described;
    return env.Undefined();
  }

  Napi::Value SharedArena(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), lib_->sharedArena); }

  std::shared_ptr<LibraryCore> lib_;
};

}  // namespace
}  // namespace ort

void InitOrt(Napi::Env env, Napi::Object exports) {
  Napi::Object ns = Napi::Object::New(env);
  ns.Set("OrtLibrary", ort::LibraryObject::Define(env));
  ort::InitSessionClass(env, ns);
  exports.Set("ort", ns);
}

}  // namespace faultsense
