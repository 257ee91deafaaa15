# Copyright (C) 2026 The Musubi for Qt authors.
# SPDX-License-Identifier: MIT
#
# Writes the codegen test fixtures: genuine Musubi codegen manifests
# (`<Module>/state.term`, each `:erlang.term_to_binary/1` of one map, shaped
# as /work/shared/CODEGEN-MANIFEST.md and upstream's `Musubi.Codegen.Manifest`
# describe) produced by real Erlang, so the C++ reader is tested against real
# ETF rather than hand-made bytes.
#
#   manifest/      Typed.Inbox, Typed.Price (OTP <= 25 atom encoding, ATOM_EXT)
#                  and Typed.Message (OTP 26+ encoding, SMALL_ATOM_UTF8_EXT)
#   manifest-bad/  Junk.Store (not ETF), Not.A.Map (ETF of a list),
#                  Typed.Price (valid, OTP 26+ encoding) and Typed.Future (valid,
#                  with unknown top-level keys and an unknown field option)
#
# The `.term` files are committed. Run from anywhere:
#
#   elixir tests/codegen/write-manifest.exs
#
# Re-run it (and commit the result) whenever the fixtures below change; the
# output is deterministic, so an unchanged script rewrites identical bytes.
#
# Type ASTs are parsed from source text like the compiler does (meta carries
# `line:`); aliases are written fully qualified because a stamped manifest has
# them expanded already. Line numbers imitate a store module; Typed.Inbox's run
# past 255 so the line metas use INTEGER_EXT as well as SMALL_INTEGER_EXT.

defmodule ManifestFixture do
  @definer [definer: Musubi.Plugin.Definer]
  @no_default {:__musubi_no_default__, Musubi.DSL.Attr}

  # A type (or other) AST as the compiler quotes it, on source line `line`.
  def t(source, line), do: Code.string_to_quoted!(source, line: line)

  def field(name, type, opts \\ []), do: %{name: name, type: type, opts: @definer ++ opts}

  # `stream :name, T, opts`: the stream node carries the (unexpanded) opts.
  def stream_field(name, item_type, stream_opts) do
    field(name, {:stream, [musubi_stream_opts: stream_opts], [item_type]}, stream_opts)
  end

  # `stream_async :name, T, opts`: a DSL-built AsyncResult.of node (empty meta).
  def stream_async_field(name, item_type, stream_opts) do
    stream = {:stream, [musubi_stream_opts: stream_opts], [item_type]}
    async = {{:., [], [{:__aliases__, [], [:Musubi, :AsyncResult]}, :of]}, [], [stream]}
    field(name, async, stream_opts)
  end

  # `field :name do ... end`: a DSL-built map node (empty meta).
  def block_field(name, pairs), do: field(name, {:%{}, [], pairs})

  def arg(name, type, opts \\ []), do: %{name: name, type: type, opts: opts}

  def command(name, payload \\ [], reply \\ []),
    do: %{name: name, payload_fields: payload, reply_fields: reply, opts: []}

  def event(name, payload \\ []), do: %{name: name, payload_fields: payload}

  def attr(name, type, required, default \\ @no_default),
    do: %{name: name, type: type, required: required, default: default}

  def upload(name, opts) do
    Map.merge(
      %{
        __struct__: Musubi.Upload.Config,
        name: name,
        accept: :any,
        max_entries: 1,
        max_file_size: 8_000_000,
        chunk_size: 64_000,
        chunk_timeout: 10_000
      },
      Map.new(opts)
    )
  end

  def manifest(module, kind, source, parts) do
    Map.merge(
      %{
        module: module,
        kind: kind,
        source: source,
        fields: [],
        commands: [],
        events: [],
        attrs: [],
        uploads: []
      },
      Map.new(parts)
    )
  end

  # OTP <= 25 default atom encoding (ATOM_EXT), pinned so a newer OTP writes
  # the same bytes; and the OTP 26+ default (UTF-8 atom tags).
  def encode(term, :otp25), do: :erlang.term_to_binary(term, minor_version: 1)
  def encode(term, :otp26), do: :erlang.term_to_binary(term, minor_version: 2)

  def write(dir, module_dir, bytes) do
    path = Path.join([dir, module_dir, "state.term"])
    File.mkdir_p!(Path.dirname(path))
    File.write!(path, bytes)
    IO.puts("wrote #{Path.relative_to_cwd(path)} (#{byte_size(bytes)} bytes)")
  end

  def write_manifest(dir, manifest, encoding) do
    # Round-trip check: what is written decodes to what was meant.
    bytes = encode(manifest, encoding)
    ^manifest = :erlang.binary_to_term(bytes)
    write(dir, inspect(manifest.module), bytes)
  end
end

# The fixtures, in a module of their own: a script cannot import a module it
# defines at its top level.
defmodule ManifestFixture.Typed do
  import ManifestFixture

  @message_item "%{id: String.t(), text: String.t()}"

  # Typed.Inbox (kind :store): every type form the generator maps.
  def inbox do
    manifest(Typed.Inbox, :store, "/srv/typed/lib/typed/inbox.ex",
      fields: [
        field(:title, t("String.t()", 250)),
        field(:unread_count, t("integer()", 251)),
        field(:ratio, t("float()", 252)),
        field(:muted, t("boolean()", 253)),
        field(:filter, t(~S{:all | :unread | :"needs-review"}, 254)),
        field(:note, t("String.t() | nil", 255)),
        field(:priority, t(":low | :high | nil", 256)),
        field(:tags, t("list(String.t())", 257)),
        field(:scores, t("list(integer())", 258)),
        block_field(:shipping,
          speed: t(":standard | :express", 260),
          gift: t("boolean()", 261)
        ),
        field(:meta, t("map()", 263)),
        field(:extra, t("any()", 264)),
        field(:price, t("Typed.Price.t()", 265)),
        field(:featured, t("Typed.Message.state() | nil", 266)),
        field(:messages, t("list(Typed.Message.state())", 267)),
        stream_field(:log, t(@message_item, 268), limit: 100, item_key: t("& &1.id", 268)),
        field(:totals, t("Musubi.AsyncResult.of(%{sum: integer()})", 269)),
        stream_async_field(:history, t(@message_item, 270), []),
        field(:class, t("String.t()", 271)),
        field(:__streams__, t("map()", 249))
      ],
      commands: [
        command(
          :mark_read,
          [arg(:id, t("String.t()", 275), doc: "The message id.")],
          [arg(:count, t("integer()", 276))]
        ),
        command(:set_filter, [arg(:filter, t(~S{:all | :unread | :"needs-review"}, 279))]),
        command(:refresh),
        command(:rename, [
          arg(:title, t("String.t()", 284)),
          arg(:note, t("String.t() | nil", 285))
        ]),
        command(:fail)
      ],
      events: [
        event(:new_mail, [arg(:subject, t("String.t()", 292)), arg(:from, t("String.t()", 293))]),
        event(:cleared)
      ],
      attrs: [
        attr(:folder, t("String.t()", 240), true),
        attr(:limit, t("integer()", 241), false, 50)
      ],
      uploads: [
        upload(:attachment,
          accept: [".png", ".jpg"],
          max_entries: 2,
          # >= 2^31 on purpose: SMALL_BIG_EXT.
          max_file_size: 5_000_000_000,
          chunk_size: 64_000,
          chunk_timeout: 10_000
        )
      ]
    )
  end

  # Typed.Message: a child store (Typed.Inbox's `featured` and `messages`).
  def message do
    manifest(Typed.Message, :store, "/srv/typed/lib/typed/message.ex",
      fields: [
        field(:subject, t("String.t()", 7)),
        field(:read, t("boolean()", 8))
      ],
      commands: [command(:toggle)]
    )
  end

  # Typed.Price (kind :state): a reusable state module (Typed.Inbox's `price`).
  def price do
    manifest(Typed.Price, :state, "/srv/typed/lib/typed/price.ex",
      fields: [
        field(:amount, t("integer()", 6)),
        field(:currency, t("String.t()", 7))
      ]
    )
  end

  # Typed.Future: a valid store as a newer Musubi might stamp it, with an unknown
  # top-level key (`flavour`) and an unknown field option (`sparkle`).
  def future do
    manifest(Typed.Future, :store, "/srv/typed/lib/typed/future.ex",
      fields: [field(:x, t("integer()", 9), sparkle: true)],
      flavour: :vanilla
    )
  end
end

# --- write ----------------------------------------------------------------------

alias ManifestFixture.Typed

good_dir = Path.join(__DIR__, "manifest")
bad_dir = Path.join(__DIR__, "manifest-bad")

File.rm_rf!(good_dir)
File.rm_rf!(bad_dir)

ManifestFixture.write_manifest(good_dir, Typed.inbox(), :otp25)
ManifestFixture.write_manifest(good_dir, Typed.price(), :otp25)
ManifestFixture.write_manifest(good_dir, Typed.message(), :otp26)

# Not ETF: deterministic pseudo-random bytes, first byte anything but 131.
:rand.seed(:exsss, {17, 4, 2026})
junk = for(_ <- 1..64, into: <<>>, do: <<:rand.uniform(256) - 1>>)
junk = if :binary.first(junk) == 131, do: <<0>> <> binary_part(junk, 1, 63), else: junk
ManifestFixture.write(bad_dir, "Junk.Store", junk)

ManifestFixture.write(
  bad_dir,
  "Not.A.Map",
  ManifestFixture.encode([:not, "a", {:map}, 42], :otp25)
)

ManifestFixture.write_manifest(bad_dir, Typed.price(), :otp26)
ManifestFixture.write_manifest(bad_dir, Typed.future(), :otp25)
