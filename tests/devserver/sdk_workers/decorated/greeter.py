"""A worker written as the SDK README's annotated form: one function serving two queues."""

from unmeshed.sdk.decorators.worker_function import worker_function


@worker_function(name="greeter", max_in_progress=5, namespace="default",
                 worker_queue_names=["greet_en", "greet_fr"])
def greeter(input_dict: dict) -> dict:
    word = {"en": "Hello", "fr": "Bonjour"}[input_dict["lang"]]
    return {"greeting": f"{word}, {input_dict['name']}"}
