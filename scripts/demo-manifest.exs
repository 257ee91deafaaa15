# Copyright (C) 2026 The Musubi for Qt authors.
# SPDX-License-Identifier: MIT
#
# Writes the Musubi codegen manifests of the demo stores:
# demo/manifest/<Module>/state.term for Demo.CounterStore, Demo.ChatStore,
# Demo.TodoStore, Demo.TodoItemStore and Demo.ProfileStore, each
# `:erlang.term_to_binary/1` of one map in the OTP <= 25 atom encoding, shaped
# as a Musubi server's compile-time stamp (`_build/<env>/musubi-codegen/`)
# would be. The demo's typed C++/QML API is generated from them.
#
# The demo stores have no Elixir source: their behaviour is the C++ test-server
# code in demo/stores/*.cpp. This script declares, by hand, the Musubi DSL
# those stores would have (state fields, commands with payload and reply
# fields, push events, mount params as attrs, uploads), typed after what the
# C++ renders and reads.
#
# The `.term` files are committed. Run from anywhere:
#
#   elixir scripts/demo-manifest.exs
#
# Re-run it, and commit the result, whenever a demo store changes shape (a
# state key, a command, its payload or reply, an event, a mount param or an
# upload added, removed or retyped in demo/stores/). The output is
# deterministic: an unchanged script rewrites identical bytes.

defmodule DemoManifest do
  @definer [definer: Musubi.Plugin.Definer]
  @no_default {:__musubi_no_default__, Musubi.DSL.Attr}

  # A type (or other) AST as the compiler quotes it, on source line `line`.
  # Aliases are written fully qualified: a stamp has them expanded already.
  def t(source, line), do: Code.string_to_quoted!(source, line: line)

  def field(name, type, opts \\ []), do: %{name: name, type: type, opts: @definer ++ opts}

  # `stream :name, T, opts`: the stream node carries the (unexpanded) opts.
  def stream_field(name, item_type, stream_opts) do
    field(name, {:stream, [musubi_stream_opts: stream_opts], [item_type]}, stream_opts)
  end

  def arg(name, type, opts \\ []), do: %{name: name, type: type, opts: opts}

  def command(name, payload \\ [], reply \\ []),
    do: %{name: name, payload_fields: payload, reply_fields: reply, opts: []}

  def event(name, payload \\ []), do: %{name: name, payload_fields: payload}

  def attr(name, type, required, default \\ @no_default),
    do: %{name: name, type: type, required: required, default: default}

  # A %Musubi.Upload.Config{} (its defaults: MusubiTestUploadConfig's).
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

  def manifest(module, source, parts) do
    Map.merge(
      %{
        module: module,
        kind: :store,
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

  # demo/stores/democounterstore.cpp
  def counter do
    manifest(Demo.CounterStore, "/srv/musubi_demo/lib/demo/counter_store.ex",
      fields: [field(:count, t("integer()", 8))],
      commands: [
        command(:increment, [
          arg(:amount, t("integer() | nil", 12), doc: "How much to add; 1 when omitted.")
        ]),
        command(:reset)
      ],
      attrs: [attr(:count, t("integer()", 5), false, 0)]
    )
  end

  # demo/stores/demochatstore.cpp: `messages` keeps the newest 200
  # (DemoChatStore::MessageLimit), appended, keyed by id.
  def chat do
    manifest(Demo.ChatStore, "/srv/musubi_demo/lib/demo/chat_store.ex",
      fields: [
        field(:title, t("String.t()", 10)),
        stream_field(
          :messages,
          t("%{id: String.t(), author: String.t(), body: String.t(), at: String.t()}", 11),
          limit: t("-200", 11),
          item_key: t("& &1.id", 11)
        )
      ],
      commands: [
        command(
          :send,
          [
            arg(:body, t("String.t()", 15), doc: "The message text; must not be blank."),
            arg(:author, t("String.t() | nil", 16), doc: "Who wrote it; \"anonymous\" if blank.")
          ],
          [arg(:id, t("String.t()", 17), doc: "The new message's id (msg-<n>).")]
        )
      ],
      events: [
        event(:message_sent, [arg(:id, t("String.t()", 21), doc: "The sent message's id.")])
      ],
      attrs: [
        attr(:title, t("String.t()", 5), false, "Lobby"),
        attr(:seed, t("boolean()", 6), false, true)
      ]
    )
  end

  # demo/stores/demotodostore.cpp: `todos` are DemoTodoItemStore children.
  def todo do
    manifest(Demo.TodoStore, "/srv/musubi_demo/lib/demo/todo_store.ex",
      fields: [
        field(:title, t("String.t()", 8)),
        field(:todos, t("list(Demo.TodoItemStore.state())", 9)),
        field(
          :stats,
          t("Musubi.AsyncResult.of(%{total: integer(), done: integer(), open: integer()})", 10)
        )
      ],
      commands: [
        command(
          :add,
          [arg(:title, t("String.t()", 14), doc: "The todo's title; must not be blank.")],
          [arg(:id, t("String.t()", 15), doc: "The new todo's id.")]
        )
      ],
      attrs: [attr(:seed, t("boolean()", 5), false, true)]
    )
  end

  # demo/stores/demotodoitemstore.cpp: a child store only, no mount params.
  def todo_item do
    manifest(Demo.TodoItemStore, "/srv/musubi_demo/lib/demo/todo_item_store.ex",
      fields: [
        field(:id, t("String.t()", 6)),
        field(:title, t("String.t()", 7)),
        field(:done, t("boolean()", 8))
      ],
      commands: [command(:toggle), command(:remove)]
    )
  end

  # demo/stores/demoprofilestore.cpp: AvatarMaxSize is 1 MB.
  def profile do
    manifest(Demo.ProfileStore, "/srv/musubi_demo/lib/demo/profile_store.ex",
      fields: [
        field(:name, t("String.t()", 12)),
        field(:bio, t("String.t()", 13)),
        field(:avatar_url, t("String.t() | nil", 14)),
        field(:saved_at, t("String.t() | nil", 15))
      ],
      commands: [
        command(
          :save,
          [
            arg(:name, t("String.t() | nil", 19), doc: "The new name; unchanged when omitted."),
            arg(:bio, t("String.t() | nil", 20), doc: "The new bio; unchanged when omitted.")
          ],
          [
            arg(:saved, t("boolean()", 21)),
            arg(:avatar, t("String.t() | nil", 22),
              doc: "The saved avatar's URL, or nil without a finished upload."
            )
          ]
        )
      ],
      attrs: [attr(:name, t("String.t()", 5), false, "Ada Lovelace")],
      uploads: [
        upload(:avatar,
          accept: [".png", ".jpg"],
          max_entries: 1,
          max_file_size: 1_000_000,
          chunk_size: 64_000,
          chunk_timeout: 10_000
        )
      ]
    )
  end

  def all, do: [counter(), chat(), todo(), todo_item(), profile()]

  def write(dir, manifest) do
    # The OTP <= 25 atom encoding (ATOM_EXT), pinned so a newer OTP writes
    # the same bytes.
    bytes = :erlang.term_to_binary(manifest, minor_version: 1)
    ^manifest = :erlang.binary_to_term(bytes)
    path = Path.join([dir, inspect(manifest.module), "state.term"])
    File.mkdir_p!(Path.dirname(path))
    File.write!(path, bytes)
    IO.puts("wrote #{Path.relative_to_cwd(path)} (#{byte_size(bytes)} bytes)")
  end
end

out_dir = Path.expand("../demo/manifest", __DIR__)
# Start clean: a store removed from the demo must not leave its manifest behind.
File.rm_rf!(out_dir)
Enum.each(DemoManifest.all(), &DemoManifest.write(out_dir, &1))
