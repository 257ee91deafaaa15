# Writes tests/codegen/manifest-odd: genuine manifests (quoted ASTs, :erlang.term_to_binary)
# of shapes that are hard on a C++ generator. tests/codegen/CMakeLists.txt generates and
# compiles them: the build is the test. Run: elixir tests/codegen/write-odd-manifest.exs
defmodule Odd do
  @definer [definer: Musubi.Plugin.Definer]
  def t(s), do: Code.string_to_quoted!(s, line: 1)
  def field(name, type), do: %{name: name, type: t(type), opts: @definer}
  def arg(name, type), do: %{name: name, type: t(type), opts: []}

  def command(name, payload \\ [], reply \\ []),
    do: %{name: name, payload_fields: payload, reply_fields: reply, opts: []}

  def event(name, payload \\ []), do: %{name: name, payload_fields: payload}

  def upload(name),
    do: %{
      __struct__: Musubi.Upload.Config,
      name: name,
      accept: :any,
      max_entries: 1,
      max_file_size: 8_000_000,
      chunk_size: 64_000,
      chunk_timeout: 10_000
    }

  def attr(name, type, required),
    do: %{
      name: name,
      type: t(type),
      required: required,
      default: {:__musubi_no_default__, Musubi.DSL.Attr}
    }

  def manifest(module, kind, parts) do
    Map.merge(
      %{
        module: module,
        kind: kind,
        source: "/srv/odd/lib/odd.ex",
        fields: [],
        commands: [],
        events: [],
        attrs: [],
        uploads: []
      },
      Map.new(parts)
    )
  end

  def write(dir, m) do
    path = Path.join([dir, inspect(m.module), "state.term"])
    File.mkdir_p!(Path.dirname(path))
    File.write!(path, :erlang.term_to_binary(m))
  end
end

dir = Path.join(__DIR__, "manifest-odd")
File.rm_rf!(dir)

# An enum named like its class; C++ keywords and C macros as field names; a non-ASCII
# field; events and arguments named like the generated code's locals; optional list attrs.
Odd.write(
  dir,
  Odd.manifest(Odd.Status, :store,
    fields: [
      Odd.field(:status, ":idle | :busy"),
      Odd.field(:class, "String.t()"),
      Odd.field(:assert, "integer()"),
      Odd.field(:errno, "integer()"),
      Odd.field(:"é", ":a | :b"),
      Odd.field(:store, "boolean()")
    ],
    commands: [
      Odd.command(:post, [Odd.arg(:payload, "String.t()"), Odd.arg(:value, "integer() | nil")]),
      Odd.command(:status, [], [Odd.arg(:status, ":idle | :busy")])
    ],
    events: [
      Odd.event(:name, [Odd.arg(:name, "String.t()")]),
      Odd.event(:payload),
      Odd.event(:value, [Odd.arg(:value, "integer()")])
    ],
    attrs: [Odd.attr(:ids, "list(integer())", false), Odd.attr(:tags, "list(String.t())", false)]
  )
)

Odd.write(dir, Odd.manifest(Odd.Speed, :state, fields: [Odd.field(:speed, ":slow | :fast")]))

# A state module that holds itself.
Odd.write(
  dir,
  Odd.manifest(Odd.Tree, :state,
    fields: [
      Odd.field(:label, "String.t()"),
      Odd.field(:children, "list(Odd.Tree.t())"),
      Odd.field(:next, "Odd.Tree.t() | nil")
    ]
  )
)

# A module inside a module.
Odd.write(dir, Odd.manifest(Odd.Cart, :store, fields: [Odd.field(:items, "list(Odd.Cart.Item.state())")]))
Odd.write(dir, Odd.manifest(Odd.Cart.Item, :store, fields: [Odd.field(:sku, "String.t()")]))

# Optional lists of every element kind.
Odd.write(
  dir,
  Odd.manifest(Odd.Lists, :store,
    fields: [
      Odd.field(:ints, "list(integer()) | nil"),
      Odd.field(:floats, "list(float()) | nil"),
      Odd.field(:strs, "list(String.t()) | nil"),
      Odd.field(:enums, "list(:a | :b) | nil"),
      Odd.field(:maps, "list(%{k: integer()}) | nil"),
      Odd.field(:speeds, "list(Odd.Speed.t()) | nil"),
      Odd.field(:anys, "list(any()) | nil"),
      Odd.field(:deep, "list(list(list(list(list(list(list(list(list(list(list(list(list(list(list(list(list(list(integer()))))))))))))))))))")
    ],
    commands: [Odd.command(:set, [Odd.arg(:ints, "list(integer()) | nil")])]
  )
)

# Nothing at all; only an upload.
Odd.write(dir, Odd.manifest(Odd.Empty, :store, []))
Odd.write(dir, Odd.manifest(Odd.OnlyUpload, :store, uploads: [Odd.upload(:file)]))
